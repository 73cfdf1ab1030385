// PRODUCT C2, C3: a host broadcasts from the studio with the browser's camera (Chromium's fake
// device) by WHIP; an anonymous viewer on a phone watches over WebRTC (WHEP through Janus), and
// another, for whom WebRTC is blocked, falls back to the room's HLS output. Proven by what
// arrives: each player decodes frames, of the room output's size, and they are not black.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, fill } from './support/i18n.mjs';
import { assertPlays } from './support/player.mjs';
import { api, apiAccount, liveHost, openBrowsing, openSignedIn, setNickname } from './support/rooms.mjs';

async function waitFor(check, what, timeout = 10_000) {
  const until = Date.now() + timeout;
  while (!(await check())) {
    assert.ok(Date.now() < until, `timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('a host broadcasts from the camera and anonymous viewers watch it over WebRTC and over HLS', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host, room } = await liveHost(server, { title: 'Live with a camera' });
    const { page } = await openSignedIn(open, host, { hash: '#/studio' });
    const panel = page.getByTestId('my-room').filter({ hasText: 'Live with a camera' }).getByTestId('publish-panel');
    await panel.getByLabel(en['publish.source.camera']).check();
    await panel.getByRole('button', { name: en['publish.start'] }).click();
    await panel.getByTestId('publish-status').filter({ hasText: en['publish.state.live'] }).waitFor({ timeout: 30_000 });

    const { page: phone } = await openBrowsing(open, { hash: `#/rooms/${room.id}`, viewport: { width: 375, height: 740 } });
    await assertPlays(phone, 'webrtc');
    const viewers = async () => (await api(server, 'GET', `/rooms/${room.id}`)).room.viewers;
    const webrtcViewers = async () => (await (await fetch(`${server.url}/healthz`)).json()).media.webrtc_viewers;
    assert.equal(await webrtcViewers(), 1);
    // The phone's player and its chat share one ticket: one person.
    await waitFor(async () => (await viewers()) === 1, 'the phone counts once');
    // WebRTC blocked (a network that drops UDP, or the room at its WebRTC cap): HLS instead.
    const { page: desktop } = await openBrowsing(open, { hash: '#/rooms' });
    await desktop.context().route('**/whep', (route) => route.abort());
    await desktop.evaluate((hash) => (window.location.hash = hash), `#/rooms/${room.id}`);
    await assertPlays(desktop, 'hls');
    await waitFor(async () => (await viewers()) === 2, 'the HLS viewer counts by its chat');

    // A closed tab hangs up as it goes: its WebRTC viewer leaves at once, not when ICE gives up a
    // minute later.
    await phone.close();
    await waitFor(async () => (await webrtcViewers()) === 0, 'the closed tab left Janus', 5_000);
    await waitFor(async () => (await viewers()) === 1, 'and the viewer count', 5_000);

    await panel.getByRole('button', { name: en['publish.stop'] }).click();
    await panel.getByTestId('publish-status').filter({ hasText: en['publish.state.idle'] }).waitFor();
  }),
);

// [000] 面具连线: a masked co-host goes on air from the room page; the host alone opens their
// unmasked picture, and it plays (frames decoded) in the host's browser.
test('a masked co-host broadcasts from the room page and the host sees them unmasked', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host, room } = await liveHost(server, { title: 'Masked guest' });
    const guest = await apiAccount(server, '13300133011');
    await setNickname(server, guest, 'Guest Gu');
    const { request } = await api(server, 'POST', `/rooms/${room.id}/cohost-requests`, { token: guest.token, body: { masked: true } });
    await api(server, 'POST', `/rooms/${room.id}/cohost-requests/${request.id}/decision`, { token: host.token, body: { approve: true } });

    const { page: guestView } = await openSignedIn(open, guest, { hash: `#/rooms/${room.id}` });
    const panel = guestView.getByTestId('cohost').getByTestId('publish-panel');
    await panel.getByRole('button', { name: en['publish.start'] }).click();
    await panel.getByTestId('publish-status').filter({ hasText: en['publish.state.live'] }).waitFor({ timeout: 30_000 });

    const { page: hostView } = await openSignedIn(open, host, { hash: `#/rooms/${room.id}` });
    const view = hostView.getByTestId('cohost-request').filter({ hasText: 'Guest Gu' }).getByTestId('unmasked-view');
    await view.getByRole('button', { name: fill(en['cohost.unmaskedOpenLabel'], { who: 'Guest Gu' }) }).click();
    await hostView.locator('[data-testid="unmasked-view"][data-state="showing"]').waitFor({ timeout: 30_000 });
    const video = view.locator('video');
    const decoded = () => video.evaluate((v) => v.getVideoPlaybackQuality().totalVideoFrames);
    // The first picture waits for the next key frame (one a second).
    await hostView.waitForFunction((v) => v.getVideoPlaybackQuality().totalVideoFrames > 0, await video.elementHandle(), { timeout: 15_000 });
    const first = await decoded();
    await hostView.waitForTimeout(2000);
    const later = await decoded();
    // A masked co-host's picture moves at the pace of the face detector, which shares this busy
    // machine with two browsers: fewer than the room's 30 a second, but it must keep moving.
    assert.ok(later - first >= 8, `the host's unmasked view plays (${first} then ${later} frames)`);
    assert.equal(await video.evaluate((v) => v.videoWidth), 640);
  }),
);
