// PRODUCT C11: a lottery in a live room. The host opens it in the studio, a signed-in viewer enters
// from the room page (on a phone), the host draws, the viewer sees they won and gives the delivery
// details, and the host reads them and marks the prize sent. An anonymous visitor is asked to log in
// and sees the winners. The host and the room are set up through the API; the rest is in the pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, fill } from './support/i18n.mjs';
import { mainNav } from './support/person.mjs';
import { api, apiAccount, liveHost, openBrowsing, openSignedIn, setNickname } from './support/rooms.mjs';

const PRIZE = 'Career handbook';

test('a host opens a lottery, a viewer enters and wins, gives delivery details, and the host marks the prize sent', { timeout: 240_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host, room } = await liveHost(server, { title: 'Career talk' });
    const hash = `#/rooms/${room.id}`;
    const viewer = await apiAccount(server, '13500135000');
    await setNickname(server, viewer, 'Viewer Wei');

    // The viewer (on a phone) and an anonymous visitor are in the room before the lottery opens:
    // the channel announces a lottery only when it opens.
    const { page: viewerView } = await openSignedIn(open, viewer, { hash, viewport: { width: 390, height: 844 } });
    await viewerView.getByTestId('presence-card').filter({ hasText: en['room.you'] }).waitFor();
    const { page: visitor } = await openBrowsing(open, { hash });
    await visitor.getByTestId('composer-signin').waitFor();
    assert.equal(await viewerView.getByTestId('room-lottery').count(), 0, 'no lottery before the host opens one');

    // ------------------------------------------------------------ the host opens it in the studio
    const { page: studio } = await openSignedIn(open, host, { hash: '#/studio' });
    const myRoom = studio.getByTestId('my-room').filter({ hasText: 'Career talk' });
    const lottery = myRoom.getByTestId('studio-lottery');
    await lottery.getByText(en['lottery.studio.none']).waitFor();
    let opened = 0;
    studio.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/lotteries')) opened += 1;
    });
    // Wrong values are explained beside their fields, and nothing is sent.
    await lottery.getByLabel(en['lottery.studio.prize']).fill('x');
    await lottery.getByLabel(en['lottery.studio.winners']).fill('0');
    await lottery.getByRole('button', { name: en['lottery.studio.open'] }).click();
    const prizeProblem = fill(en['lottery.studio.prizeInvalid'], { min: 2, max: 60 });
    const winnersProblem = fill(en['lottery.studio.winnersInvalid'], { max: 100 });
    await lottery.getByRole('alert').filter({ hasText: prizeProblem }).waitFor();
    await lottery.getByRole('alert').filter({ hasText: winnersProblem }).waitFor();
    assert.equal(await lottery.getByLabel(en['lottery.studio.prize']).getAttribute('aria-invalid'), 'true');
    assert.equal(opened, 0, 'an invalid lottery is not sent');

    await lottery.getByLabel(en['lottery.studio.prize']).fill(PRIZE);
    await lottery.getByLabel(en['lottery.studio.winners']).fill('1');
    const answered = studio.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/lotteries'));
    await lottery.getByRole('button', { name: en['lottery.studio.open'] }).click();
    const { lottery: { id: lotteryId } } = await (await answered).json();
    await lottery.getByTestId('lottery-open').waitFor();
    assert.equal(opened, 1);
    await lottery.getByTestId('studio-lottery-prize').filter({ hasText: PRIZE }).waitFor();
    assert.equal(await lottery.getByTestId('lottery-entries').innerText(), '0');
    assert.equal(await lottery.getByRole('alert').count(), 0, 'the problems are gone once the values are right');

    // ------------------------------------------------------------ the viewer enters, by keyboard
    const inRoom = viewerView.getByTestId('room-lottery');
    await inRoom.getByTestId('lottery-prize').filter({ hasText: PRIZE }).waitFor();
    const enter = inRoom.getByRole('button', { name: fill(en['lottery.enterLabel'], { prize: PRIZE }) });
    await enter.focus();
    await viewerView.keyboard.press('Enter');
    await inRoom.getByTestId('lottery-entered').waitFor();
    // The button is gone; keyboard focus stays in the lottery rather than falling to the page.
    assert.equal(await viewerView.evaluate(() => document.activeElement?.id), 'room-lottery');
    // The anonymous visitor sees the lottery too, and is asked to log in rather than offered the button.
    const atVisitor = visitor.getByTestId('room-lottery');
    await atVisitor.getByTestId('lottery-signin').getByText(en['lottery.signInToEnter']).waitFor();
    assert.equal(await atVisitor.getByRole('button', { name: new RegExp(en['lottery.enter']) }).count(), 0);
    // Arriving after the lottery opened (a reload), the visitor still finds it: the page asks the room.
    await visitor.reload();
    await visitor.getByTestId('room-lottery').getByTestId('lottery-prize').filter({ hasText: PRIZE }).waitFor();

    // The host's entry count follows.
    await lottery.getByTestId('lottery-entries').filter({ hasText: /^1$/ }).waitFor();

    // ------------------------------------------------------------ the draw
    await lottery.getByRole('button', { name: fill(en['lottery.studio.drawLabel'], { prize: PRIZE }) }).click();
    await lottery.getByTestId('lottery-drawn').getByTestId('lottery-winner').filter({ hasText: 'Viewer Wei' }).waitFor();

    // Everyone in the room sees the winner's card; only the winner is offered the delivery form.
    await atVisitor.getByTestId('lottery-winner').filter({ hasText: 'Viewer Wei' }).waitFor();
    assert.equal(await visitor.getByTestId('delivery-form').count(), 0);
    await inRoom.getByTestId('lottery-winner').filter({ hasText: en['room.you'] }).waitFor();
    await inRoom.getByTestId('lottery-won').waitFor();
    const form = inRoom.getByTestId('delivery-form');
    // What the details are for and how long they are kept, as the data map declares the purpose.
    const policy = await server.getJson('/api/v1/policy');
    const purpose = policy.purposes.find((p) => p.id === 'lottery_delivery');
    assert.match(purpose.description.en, /only to send the prize/);
    assert.match(purpose.description.en, /deleted 30 days after the prize is sent/);
    assert.equal(await form.getByTestId('delivery-purpose').innerText(), `${fill(en['lottery.delivery.purpose'], { prize: PRIZE })} ${en['lottery.delivery.policy']}`);

    // A number that is not a mobile number: the server's own message, in English.
    await form.getByLabel(en['lottery.delivery.name']).fill('李四');
    await form.getByLabel(en['lottery.delivery.phone']).fill('12345');
    await form.getByLabel(en['lottery.delivery.address']).fill('北京市朝阳区建国路 1 号');
    await form.getByRole('button', { name: en['lottery.delivery.save'] }).click();
    await form.getByRole('alert').filter({ hasText: 'Give a name (2–40 characters), a valid mobile number' }).waitFor();

    await form.getByLabel(en['lottery.delivery.phone']).fill('138 0013 8000');
    await form.getByRole('button', { name: en['lottery.delivery.save'] }).click();
    await form.getByRole('status').filter({ hasText: en['lottery.delivery.saved'] }).waitFor();
    assert.ok(
      await viewerView.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'the lottery and the delivery form fit a phone screen',
    );

    // ------------------------------------------------------------ the host reads it and marks it sent
    const deliveries = lottery.getByTestId('deliveries');
    await deliveries.getByRole('button', { name: en['lottery.deliveries.show'] }).click();
    const delivery = deliveries.getByTestId('delivery');
    await delivery.getByTestId('delivery-name').filter({ hasText: '李四' }).waitFor();
    assert.equal(await delivery.getByTestId('delivery-phone').innerText(), '13800138000');
    assert.equal(await delivery.getByTestId('delivery-address').innerText(), '北京市朝阳区建国路 1 号');
    assert.equal(await delivery.getByTestId('delivered-at').count(), 0);
    await delivery.getByRole('button', { name: fill(en['lottery.deliveries.markSentLabel'], { who: '李四' }) }).click();
    await delivery.getByTestId('delivered-at').waitFor();
    await delivery.getByText(en['lottery.deliveries.sent'], { exact: true }).waitFor();
    // The server holds the time of sending (the 30 days run from it), not just this page.
    const { deliveries: stored } = await api(server, 'GET', `/lotteries/${lotteryId}/deliveries`, { token: host.token });
    const [{ delivered_at: deliveredAt }] = stored;
    assert.ok(deliveredAt > 0, 'delivered_at is stored');

    // ------------------------------------------------------------ the notice leads the winner to the form
    await mainNav(viewerView).getByRole('link', { name: new RegExp(en['nav.notices']) }).click();
    const notice = viewerView.getByTestId('notice').filter({ hasText: fill(en['notices.lottery_won'], { prize: PRIZE, room: 'Career talk' }) });
    await notice.getByRole('link', { name: en['notices.toDelivery'] }).click();
    await viewerView.waitForURL((url) => url.hash === `#/lotteries/${lotteryId}`);
    await viewerView.getByTestId('lottery-page').getByTestId('lottery-prize').filter({ hasText: PRIZE }).waitFor();
    await viewerView.getByTestId('delivery-form').getByLabel(en['lottery.delivery.address']).waitFor();
  }),
);

