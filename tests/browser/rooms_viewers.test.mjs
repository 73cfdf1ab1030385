// PRODUCT C: a live room as viewers and its host see it. The host is set up through the API (an
// approved, verified streamer with a live room); everything after that is done in the pages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, fill } from './support/i18n.mjs';
import { repoRoot } from './support/server.mjs';
import { apiAccount, liveHost, openBrowsing, openSignedIn, setNickname } from './support/rooms.mjs';

/** The host on their live room's page, and a viewer with a nickname. */
async function setUp(server, open) {
  const { host, room } = await liveHost(server);
  const hash = `#/rooms/${room.id}`;
  const hostView = (await openSignedIn(open, host, { hash })).page;
  await hostView.getByTestId('viewer-count').waitFor();
  const viewer = await apiAccount(server, '13500135000');
  await setNickname(server, viewer, 'Viewer Wei');
  return { host, room, hash, hostView, viewer };
}

test('a signed-in viewer enters, comments and leaves: the host sees their card, their comment, and the card go', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { hash, hostView, viewer } = await setUp(server, open);
    const cards = hostView.getByTestId('presence-card').filter({ hasText: 'Viewer Wei' });
    assert.equal(await cards.count(), 0);

    const { page: viewerView } = await openSignedIn(open, viewer, { hash, viewport: { width: 375, height: 800 } });
    await cards.waitFor();
    // The viewer's own card is marked as theirs on their page.
    await viewerView.getByTestId('presence-card').filter({ hasText: en['room.you'] }).filter({ hasText: 'Viewer Wei' }).waitFor();

    await viewerView.getByLabel(en['room.composeComment']).fill('Hello from the audience');
    await viewerView.getByRole('button', { name: en['room.send'], exact: true }).click();
    const comment = hostView.getByTestId('chat-message').filter({ hasText: 'Hello from the audience' });
    await comment.waitFor();
    assert.equal(await comment.getAttribute('data-kind'), 'comment');
    await comment.getByText('Viewer Wei').waitFor();

    // A question looks different from a comment.
    await viewerView.getByRole('radio', { name: en['room.kind.question'] }).check();
    await viewerView.getByLabel(en['room.composeQuestion']).fill('How did you start?');
    await viewerView.getByRole('button', { name: en['room.send'], exact: true }).click();
    const question = hostView.getByTestId('chat-message').filter({ hasText: 'How did you start?' });
    await question.waitFor();
    assert.equal(await question.getAttribute('data-kind'), 'question');
    await question.getByText(en['room.question'], { exact: true }).waitFor();
    await viewerView.getByTestId('chat-message').filter({ hasText: 'How did you start?' }).waitFor();
    assert.ok(
      await viewerView.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'the room fits a phone screen',
    );
    await viewerView.screenshot({ path: path.join(repoRoot, 'docs/screenshots/room.png'), fullPage: true });

    // Too long: the server's refusal shows at the composer, in the person's language.
    await viewerView.getByLabel(en['room.composeQuestion']).fill('x'.repeat(320));
    await viewerView.getByRole('button', { name: en['room.send'], exact: true }).click();
    await viewerView.getByTestId('composer').getByRole('alert').waitFor();

    // Posting too fast (5 in 10 s): the refusal says when the viewer may post again.
    for (let i = 1; i <= 6; i++) {
      await viewerView.getByLabel(en['room.composeQuestion']).fill(`Quick question ${i}`);
      await viewerView.getByRole('button', { name: en['room.send'], exact: true }).click();
    }
    const [before] = en['error.retryAfter'].split('{when}');
    await viewerView
      .getByTestId('composer')
      .getByRole('alert')
      .filter({ hasText: new RegExp(`${before}in \\d+ seconds?`) })
      .waitFor();

    await viewerView.close();
    await cards.waitFor({ state: 'detached' });
  }),
);

test('a viewer asks to co-host masked, the host approves, and the viewer is on air', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { hash, hostView, viewer } = await setUp(server, open);
    const { page: viewerView } = await openSignedIn(open, viewer, { hash });
    const cohost = viewerView.getByTestId('cohost');
    await cohost.getByText(en['cohost.maskedHint']).waitFor();
    await cohost.getByLabel(en['cohost.masked']).check();
    await cohost.getByRole('button', { name: en['cohost.ask'] }).click();
    await cohost.getByTestId('cohost-state').and(viewerView.locator('[data-status="pending"]')).waitFor();

    const request = hostView.getByTestId('cohost-request').filter({ hasText: 'Viewer Wei' });
    await request.waitFor();
    await request.getByText(en['cohost.maskedBadge'], { exact: true }).waitFor();
    await request.getByRole('button', { name: fill(en['cohost.approveLabel'], { who: 'Viewer Wei' }) }).click();
    await hostView.getByTestId('cohost-request').and(hostView.locator('[data-status="approved"]')).waitFor();

    await cohost.getByTestId('cohost-state').and(viewerView.locator('[data-status="approved"]')).waitFor();
    await cohost.getByText(en['cohost.status.approved']).waitFor();
    await viewerView.getByTestId('on-air').getByText('Viewer Wei').waitFor();
    await hostView.getByTestId('on-air').getByText(en['cohost.maskedBadge']).waitFor();
  }),
);

test('the host deletes a viewer comment, and it disappears for another viewer', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { hash, hostView, viewer } = await setUp(server, open);
    const { page: viewerView } = await openSignedIn(open, viewer, { hash });
    // A second viewer, without an account.
    const { page: other } = await openBrowsing(open, { hash });
    await other.getByTestId('composer-signin').waitFor();

    await viewerView.getByLabel(en['room.composeComment']).fill('Buy cheap followers here');
    await viewerView.getByRole('button', { name: en['room.send'], exact: true }).click();
    const seenByOther = other.getByTestId('chat-message').filter({ hasText: 'Buy cheap followers here' });
    await seenByOther.waitFor();

    const atHost = hostView.getByTestId('chat-message').filter({ hasText: 'Buy cheap followers here' });
    await atHost.getByLabel(fill(en['moderation.openLabel'], { who: 'Viewer Wei' }), { exact: true }).click();
    // Without a reason nothing is sent: the page asks for one.
    let sent = 0;
    hostView.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/moderation')) sent += 1;
    });
    await atHost.getByRole('button', { name: en['moderation.delete'] }).click();
    await atHost.getByRole('alert').filter({ hasText: en['moderation.reasonNeeded'] }).waitFor();
    assert.equal(sent, 0);
    await atHost.getByLabel(en['moderation.reason']).fill('Advertising');
    await atHost.getByRole('button', { name: en['moderation.delete'] }).click();

    await seenByOther.waitFor({ state: 'detached' });
    await viewerView.getByTestId('chat-message').filter({ hasText: 'Buy cheap followers here' }).waitFor({ state: 'detached' });
    await atHost.waitFor({ state: 'detached' });
  }),
);
