// PRODUCT C9, C10, B6: coins, gifts and earnings. A viewer buys coins on the wallet page through the
// development checkout, sends a gift in a live room, and an anonymous visitor sees it arrive; the
// host's studio shows the earnings grow, and the host withdraws after a fresh face check. A minor
// is refused, in their language, both a gift and a recharge. Hosts and rooms are set up through
// the API; everything the tests are about is done in the pages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, fill, pattern, zh } from './support/i18n.mjs';
import { cameraUse, residentId, watchCamera } from './support/live.mjs';
import { mainNav } from './support/person.mjs';
import { TINY_PNG, api, apiAccount, liveHost, openBrowsing, openSignedIn, setNickname } from './support/rooms.mjs';
import { repoRoot } from './support/server.mjs';
import { birthYearsAgo, buyCoins, sendGift } from './support/wallet.mjs';

const PHONE = { width: 390, height: 844 };
const exactly = (n) => new RegExp(`^${n}$`);

async function fitsWidth(page) {
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    `nothing wider than the screen at ${page.url()}`,
  );
}

/** Every body the page POSTs to `pathname`, parsed. */
function postsTo(page, pathname) {
  const bodies = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === pathname) {
      bodies.push(request.postData() ? JSON.parse(request.postData()) : null);
    }
  });
  return bodies;
}

test('a gift moves the balances: coins bought at the checkout, a gift sent, seen arriving by an anonymous visitor, and the host earns', { timeout: 240_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host, room } = await liveHost(server, { title: 'Career talk' });
    const hash = `#/rooms/${room.id}`;
    const viewer = await apiAccount(server, '13500135000');
    await setNickname(server, viewer, 'Viewer Wei');

    // ------------------------------------------------------------ the host watches the studio
    const { page: studio } = await openSignedIn(open, host, { hash: '#/studio' });
    const earnings = studio.getByTestId('studio-earnings');
    await earnings.getByTestId('earnings-coins').filter({ hasText: exactly(0) }).waitFor();
    await earnings.getByText(en['earnings.giftsEmptyLive']).waitFor();

    // ------------------------------------------------------------ an anonymous visitor, asking for less motion
    const { page: visitor } = await openBrowsing(open, { hash });
    await visitor.emulateMedia({ reducedMotion: 'reduce' });
    await visitor.getByTestId('composer-signin').waitFor();
    assert.equal(await visitor.getByTestId('gift-bar').count(), 0, 'no gift bar without an account');

    // ------------------------------------------------------------ the viewer buys coins, on a phone
    const { page } = await openSignedIn(open, viewer, { hash: '#/', viewport: PHONE });
    await mainNav(page).getByRole('link', { name: en['nav.wallet'] }).click();
    await page.getByRole('heading', { level: 1, name: en['wallet.title'] }).waitFor();
    await page.getByTestId('wallet-coins').filter({ hasText: exactly(0) }).waitFor();
    await page.getByTestId('wallet-history-empty').filter({ hasText: en['wallet.historyEmpty'] }).waitFor();
    await page.getByTestId('wallet-provider-receives').filter({ hasText: en['wallet.keptProvider'] }).waitFor();
    await page.getByText(en['wallet.devProvider']).waitFor();
    await fitsWidth(page);

    const recharge = page.getByTestId('recharge');
    const choices = await recharge.getByRole('radio').count();
    assert.equal(choices, 5, 'one choice per recharge amount the server offers');
    const rechargePosts = postsTo(page, '/api/v1/wallet/recharges');
    const callbacks = postsTo(page, '/api/v1/payments/callback');

    // A first order, cancelled at the checkout: nothing is charged, nothing is added.
    await recharge.getByRole('radio', { name: /60 coins/ }).check();
    await recharge.getByRole('button', { name: fill(en['wallet.recharge'], { amount: '¥6.00', coins: '60 coins' }) }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/wallet/checkout?order='));
    const cancelled = await page.getByTestId('checkout-order').innerText();
    await page.getByRole('button', { name: en['checkout.cancel'] }).click();
    await page.waitForURL((url) => url.hash === `#/wallet?order=${cancelled}`);
    await page.getByTestId('order-outcome').filter({ hasText: fill(en['wallet.order.failed'], { order: cancelled }) }).waitFor();
    await page.getByTestId('wallet-coins').filter({ hasText: exactly(0) }).waitFor();
    await page.getByTestId('wallet-history-empty').waitFor();
    assert.deepEqual(callbacks.at(-1), { amount_cents: 600, order_no: cancelled, status: 'failed' });
    rechargePosts.length = 0;
    callbacks.length = 0;

    await recharge.getByRole('radio', { name: /300 coins/ }).check();
    // A double click is one action: one request id, so at most one order.
    await recharge.getByRole('button', { name: pattern(en['wallet.recharge']) }).dblclick();
    await page.waitForURL((url) => url.hash.startsWith('#/wallet/checkout?order='));
    assert.ok(rechargePosts.length >= 1);
    assert.equal(new Set(rechargePosts.map((b) => b.request_id)).size, 1, 'one request id for one action');
    assert.equal(rechargePosts[0].amount_cents, 3000);

    // ------------------------------------------------------------ the development checkout
    await page.getByRole('heading', { level: 1, name: en['checkout.title'] }).waitFor();
    await page.getByTestId('dev-provider').getByText(en['checkout.devExplain']).waitFor();
    const orderNo = await page.getByTestId('checkout-order').innerText();
    assert.equal(new URL(page.url()).hash, `#/wallet/checkout?order=${orderNo}`);
    assert.match(await page.getByTestId('checkout-amount').innerText(), /30\.00/);
    await fitsWidth(page);
    await page.getByRole('button', { name: pattern(en['checkout.pay']) }).click();
    await page.waitForURL((url) => url.hash === `#/wallet?order=${orderNo}`);
    // What the provider told the server: the order number and the amount, nothing about the person.
    assert.equal(callbacks.length, 1);
    assert.deepEqual(Object.keys(callbacks[0]).sort(), ['amount_cents', 'order_no', 'status']);
    assert.deepEqual(callbacks[0], { amount_cents: 3000, order_no: orderNo, status: 'paid' });

    const outcome = fill(en['wallet.order.paid'], { order: orderNo, coins: '300 coins' });
    await page.getByTestId('order-outcome').getByRole('status').filter({ hasText: outcome }).waitFor();
    await page.getByTestId('wallet-coins').filter({ hasText: exactly(300) }).waitFor();
    const bought = page.getByTestId('ledger-line').filter({ hasText: orderNo });
    await bought.getByText(en['wallet.line.recharge'], { exact: true }).waitFor();
    await bought.getByText('+300 coins').waitFor();
    await fitsWidth(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(repoRoot, 'docs/screenshots/wallet.png'), fullPage: true });

    // ------------------------------------------------------------ a gift in the live room
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    const bar = page.getByTestId('gift-bar');
    await bar.getByTestId('gift-balance').filter({ hasText: exactly(300) }).waitFor();
    for (const [gift, price] of [['rose', '1 coin'], ['heart', '10 coins'], ['rocket', '100 coins'], ['castle', '520 coins']]) {
      await bar.getByRole('radio', { name: `${en[`gift.name.${gift}`]} ${price}` }).waitFor();
    }
    // With the keyboard alone: arrows choose the gift, Tab reaches the quantity, Enter sends.
    await bar.getByRole('radio', { name: new RegExp(en['gift.name.rose']) }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.ok(await bar.getByRole('radio', { name: new RegExp(en['gift.name.rocket']) }).isChecked());
    await page.keyboard.press('Tab');
    const quantity = bar.getByLabel(en['gifts.quantity']);
    assert.ok(await quantity.evaluate((el) => el === document.activeElement), 'Tab leads to the quantity');
    const giftPosts = postsTo(page, `/api/v1/rooms/${room.id}/gifts`);
    await quantity.fill('0');
    await page.keyboard.press('Enter');
    await bar.getByRole('alert').filter({ hasText: fill(en['gifts.quantityInvalid'], { max: 99 }) }).waitFor();
    assert.equal(await quantity.getAttribute('aria-invalid'), 'true');
    assert.equal(giftPosts.length, 0, 'a wrong quantity is not sent');

    await quantity.fill('2');
    await bar.getByRole('button', { name: fill(en['gifts.send'], { coins: '200 coins' }) }).waitFor();
    const arrivesForVisitor = visitor.getByTestId('gift-burst').filter({ hasText: 'Viewer Wei' }).waitFor();
    const arrivesHere = page.getByTestId('gift-burst').filter({ hasText: 'Viewer Wei' }).waitFor();
    await page.keyboard.press('Enter');
    // Where motion is welcome, it slides in.
    await arrivesHere;
    assert.equal(await page.getByTestId('gift-burst').evaluate((el) => getComputedStyle(el).animationName), 'gift-burst');
    await bar.getByTestId('gift-balance').filter({ hasText: exactly(100) }).waitFor();
    await bar.getByRole('status').filter({ hasText: fill(en['gifts.sent'], { quantity: 2, gift: 'Rocket', coins: '200 coins' }) }).waitFor();
    assert.equal(giftPosts.length, 1);
    assert.deepEqual(Object.keys(giftPosts[0]).sort(), ['gift', 'quantity', 'request_id']);
    await fitsWidth(page);

    // The visitor sees the gift arrive with the sender's nickname, without movement, then go.
    await arrivesForVisitor;
    const burst = visitor.getByTestId('gift-burst');
    assert.match(await burst.innerText(), new RegExp(`Viewer Wei ${fill(en['room.gift.sent'], { quantity: 2, gift: 'Rocket' })}`));
    assert.equal(await burst.evaluate((el) => getComputedStyle(el).animationName), 'gift-fade');
    await visitor.getByTestId('chat-gift').filter({ hasText: 'Viewer Wei' }).filter({ hasText: '200 coins' }).waitFor();
    await burst.waitFor({ state: 'detached', timeout: 6000 });

    // ------------------------------------------------------------ the host's earnings grow (half of 200)
    await earnings.getByTestId('earnings-coins').filter({ hasText: exactly(100) }).waitFor({ timeout: 15_000 });
    await earnings.getByTestId('earnings-gifts').getByTestId('ledger-line').filter({ hasText: '2 × Rocket' }).filter({ hasText: '+100 coins (earnings)' }).waitFor();

    // ------------------------------------------------------------ and the viewer's history says so
    await mainNav(page).getByRole('link', { name: en['nav.wallet'] }).click();
    await page.getByTestId('wallet-coins').filter({ hasText: exactly(100) }).waitFor();
    const sent = page.getByTestId('ledger-line').filter({ hasText: en['wallet.line.giftSent'] });
    await sent.filter({ hasText: '2 × Rocket' }).getByText('-200 coins').waitFor();
  }),
);

test('a minor’s tip is refused with the message shown, and so is a recharge', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { room } = await liveHost(server);
    const minor = await apiAccount(server, '13700137000');
    await api(server, 'POST', '/me/real-name', {
      token: minor.token,
      body: { name: '王小明', id_number: residentId({ birth: birthYearsAgo(16), sequence: '246' }), face_image: TINY_PNG },
    });
    assert.equal((await api(server, 'GET', '/me', { token: minor.token })).minor, true, 'the ID number says 16');

    // In Chinese, as the browser asks.
    const { page } = await openSignedIn(open, minor, { hash: `#/rooms/${room.id}`, locale: 'zh-CN', viewport: PHONE });
    const bar = page.getByTestId('gift-bar');
    await bar.getByTestId('gift-balance').filter({ hasText: exactly(0) }).waitFor();
    await bar.getByRole('radio', { name: new RegExp(zh['gift.name.rose']) }).check();
    const giftAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/gifts'));
    await bar.getByRole('button', { name: fill(zh['gifts.send'], { coins: '1 金币' }) }).click();
    const giftRefusal = await (await giftAnswer).json();
    assert.equal(giftRefusal.error.code, 'minor_payment_refused');
    await bar.getByRole('alert').filter({ hasText: giftRefusal.error.message['zh-CN'] }).waitFor();
    assert.equal(await page.getByTestId('chat-gift').count(), 0, 'nothing was announced');
    await fitsWidth(page);

    // The wallet refuses the recharge the same way, and nothing leads to a checkout.
    await mainNav(page, zh).getByRole('link', { name: zh['nav.wallet'] }).click();
    await page.getByRole('heading', { level: 1, name: zh['wallet.title'] }).waitFor();
    const recharge = page.getByTestId('recharge');
    const rechargeAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/wallet/recharges'));
    await recharge.getByRole('button', { name: pattern(zh['wallet.recharge']) }).click();
    const rechargeRefusal = await (await rechargeAnswer).json();
    assert.equal(rechargeRefusal.error.code, 'minor_payment_refused');
    const alert = recharge.getByRole('alert');
    await alert.filter({ hasText: rechargeRefusal.error.message['zh-CN'] }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/wallet');
    await page.getByTestId('wallet-coins').filter({ hasText: exactly(0) }).waitFor();
    // The same refusal in English once the person switches.
    await page.getByLabel(zh['lang.label']).selectOption('en');
    await alert.filter({ hasText: rechargeRefusal.error.message.en }).waitFor();
  }),
);

test('a host withdraws earnings after the face check the server asks for', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host, room } = await liveHost(server);
    const viewer = await apiAccount(server, '13500135000');
    await buyCoins(server, viewer, 9800);
    await sendGift(server, viewer, room.id, 'castle');
    // The face check made when the host verified is now more than 10 minutes old.
    await server.advanceClock(11 * 60);

    const { page } = await openSignedIn(open, host, { hash: '#/studio', prepare: watchCamera });
    const earnings = page.getByTestId('studio-earnings');
    await earnings.getByTestId('earnings-coins').filter({ hasText: exactly(260) }).waitFor();
    const withdrawPosts = postsTo(page, '/api/v1/wallet/withdrawals');

    // Under the minimum: explained beside the field, nothing sent.
    const form = earnings.getByTestId('withdraw');
    await form.getByLabel(en['earnings.withdrawCoins']).fill('50');
    await form.getByRole('button', { name: en['earnings.withdraw'] }).click();
    await form.getByRole('alert').filter({ hasText: fill(en['earnings.withdrawInvalid'], { min: 100, max: 260 }) }).waitFor();
    assert.equal(withdrawPosts.length, 0);

    await form.getByLabel(en['earnings.withdrawCoins']).fill('200');
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/wallet/withdrawals');
    await form.getByRole('button', { name: en['earnings.withdraw'] }).click();
    const refusal = await (await refused).json();
    assert.equal(refusal.error.code, 'identity_check_required');
    const face = earnings.getByTestId('withdraw-face');
    await face.getByText(refusal.error.message.en).waitFor();
    await face.getByRole('button', { name: en['camera.take'] }).click();
    await face.getByRole('img', { name: en['camera.photoAlt'] }).waitFor();
    assert.equal((await cameraUse(page)).live, 0, 'the camera is off once the photo is taken');
    await face.getByRole('button', { name: en['earnings.faceSend'] }).click();

    const [before, after] = en['earnings.requested'].split('{amount}');
    const requested = `${fill(before, { coins: '200 coins' })}.*20\\.00${after.replace('.', '\\.')}`;
    await earnings.getByRole('status').filter({ hasText: new RegExp(requested) }).waitFor();
    await earnings.getByTestId('earnings-coins').filter({ hasText: exactly(60) }).waitFor();
    await earnings.getByTestId('withdrawal').filter({ hasText: fill(en['earnings.withdrawalOf'], { coins: '200 coins' }) }).getByText(en['earnings.status.requested']).waitFor();
    // The withdrawal sent again after the face check is the same action: the same request id.
    assert.equal(withdrawPosts.length, 2);
    assert.equal(withdrawPosts[0].request_id, withdrawPosts[1].request_id);
    assert.equal((await api(server, 'GET', '/wallet', { token: host.token })).withdrawals.length, 1);
  }),
);
