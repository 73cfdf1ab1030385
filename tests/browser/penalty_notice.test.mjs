// The public penalty notice (PRODUCT C, moderation): anyone, without an account, reads the
// platform-wide penalties of the last 90 days with their reasons, never who received them. Here a
// viewer's comment is reported from the room page, staff ban the writer from the whole platform in
// the review queue, and the notice shows it; before that it says plainly that there is none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, fill } from './support/i18n.mjs';
import { apiAccount, apiStaff, liveHost, openBrowsing, openSignedIn, setNickname } from './support/rooms.mjs';

const REASON = 'Repeated harassment of other viewers';

test('the public penalty notice is empty, then shows the platform ban staff made from a report, without the person', { timeout: 240_000 }, () =>
  withApp(async ({ server, open }) => {
    // ------------------------------------------------------------ nothing yet: a visitor reads the empty notice
    const { page: visitor } = await openBrowsing(open, { viewport: { width: 390, height: 844 } });
    const footer = visitor.getByRole('navigation', { name: en['footer.label'] });
    await footer.getByRole('link', { name: en['footer.penalties'] }).click();
    await visitor.waitForURL((url) => url.hash === '#/penalties');
    await visitor.getByRole('heading', { level: 1, name: en['penalties.title'] }).waitFor();
    await visitor.getByTestId('penalties-empty').filter({ hasText: en['penalties.empty'] }).waitFor();
    assert.equal(await visitor.getByTestId('penalty').count(), 0);

    // ------------------------------------------------------------ a comment, reported from the room page
    const { room } = await liveHost(server);
    const hash = `#/rooms/${room.id}`;
    const offender = await apiAccount(server, '13500135000');
    await setNickname(server, offender, 'Troll Tang');
    const reporter = await apiAccount(server, '13600136000');
    const { page: offenderView } = await openSignedIn(open, offender, { hash });
    const { page: reporterView } = await openSignedIn(open, reporter, { hash });
    await reporterView.getByTestId('presence-card').filter({ hasText: en['room.you'] }).waitFor();
    await offenderView.getByLabel(en['room.composeComment']).fill('Everyone here is an idiot');
    await offenderView.getByRole('button', { name: en['room.send'], exact: true }).click();
    const comment = reporterView.getByTestId('chat-message').filter({ hasText: 'Everyone here is an idiot' });
    await comment.getByLabel(fill(en['report.openLabel'], { who: 'Troll Tang' })).click();
    await comment.getByLabel(en['report.reason']).selectOption('abuse');
    await comment.getByRole('button', { name: en['report.send'] }).click();
    await comment.getByRole('status').filter({ hasText: en['report.sent'] }).waitFor();

    // ------------------------------------------------------------ staff ban the writer from the platform
    // Not liveHost's staff account: a second code to the same phone within a minute is refused.
    const staff = await apiStaff(server, '13700137000');
    const { page: staffView } = await openSignedIn(open, staff, { hash: '#/staff' });
    await staffView.getByRole('button', { name: en['staff.tab.reports'] }).click();
    const report = staffView.getByTestId('report-item').filter({ hasText: 'Everyone here is an idiot' });
    await report.getByLabel(en['reports.reason']).fill(REASON);
    await report.getByRole('button', { name: en['reports.platformBan'] }).click();
    await staffView.getByRole('status').filter({ hasText: en['reports.done.platform_ban'] }).waitFor();

    // ------------------------------------------------------------ the notice shows it, without who
    await visitor.reload();
    const penalty = visitor.getByTestId('penalty');
    await penalty.waitFor();
    assert.equal(await penalty.count(), 1);
    assert.equal(await penalty.getByTestId('penalty-reason').innerText(), REASON);
    await penalty.getByText(en['penalties.kind.ban'], { exact: true }).waitFor();
    await penalty.getByText(en['penalties.untilLifted'], { exact: true }).waitFor();
    assert.equal(await visitor.getByTestId('penalties-empty').count(), 0);
    const text = await visitor.locator('main').innerText();
    assert.ok(!text.includes('Troll Tang'), 'the notice does not name the person');
    assert.ok(!text.includes(offender.account.id), 'nor give their account');
    assert.ok(
      await visitor.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'the notice fits a phone screen',
    );
  }),
);
