// PRODUCT C7, C8; [000] (3) 直播录像: a host goes live from the studio with the browser's camera,
// ends, and finds the live among their recordings: it replays (HLS decrypted by Veil, the session
// sent with each request) and a clip cut from it plays on its page — to the host alone until it is
// published, then to an anonymous visitor on a phone. Proven by decoded frames, not by elements.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en } from './support/i18n.mjs';
import { api, liveHost, openBrowsing, openSignedIn } from './support/rooms.mjs';

/** Starts a video muted (browsers allow that without a gesture) and counts what it decodes. */
async function decodedFrames(video) {
  return video.evaluate(async (element) => {
    element.muted = true;
    await element.play().catch(() => undefined);
    return { decoded: element.getVideoPlaybackQuality().totalVideoFrames, width: element.videoWidth };
  });
}

async function assertDecodes(video, label) {
  const first = await decodedFrames(video);
  let later = first;
  for (let i = 0; i < 20 && later.decoded - first.decoded < 20; i += 1) {
    await video.page().waitForTimeout(250);
    later = await decodedFrames(video);
  }
  assert.ok(later.decoded - first.decoded >= 20, `${label}: frames are decoded (${first.decoded} then ${later.decoded})`);
  assert.equal(later.width, 640, `${label}: the room output is 640 wide`);
}

test('a host replays their live, cuts a clip, and the clip plays for anyone once published', { timeout: 240_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host, room } = await liveHost(server, { title: 'Recorded talk' });
    const { page } = await openSignedIn(open, host, { hash: '#/studio' });
    await page.getByTestId('recordings-empty').waitFor();
    const panel = page.getByTestId('my-room').filter({ hasText: 'Recorded talk' }).getByTestId('publish-panel');
    await panel.getByLabel(en['publish.source.camera']).check();
    await panel.getByRole('button', { name: en['publish.start'] }).click();
    await panel.getByTestId('publish-status').filter({ hasText: en['publish.state.live'] }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(10_000);
    await api(server, 'POST', `/rooms/${room.id}/end`, { token: host.token });

    await page.reload();
    const recording = page.getByTestId('recording').filter({ hasText: 'Recorded talk' });
    await recording.waitFor();
    assert.equal(await recording.getAttribute('data-status'), 'ready');
    await recording.getByRole('button', { name: en['recordings.replay'] }).click();
    const replay = recording.getByTestId('replay-video');
    await replay.evaluate((v) => new Promise((resolve) => (v.readyState >= 2 ? resolve() : v.addEventListener('loadeddata', resolve, { once: true }))));
    await assertDecodes(replay, 'replay');

    const form = recording.getByTestId('clip-form');
    await form.getByLabel(en['recordings.clip.title']).fill('Best bit');
    await form.getByTestId('clip-start').fill('2');
    await form.getByTestId('clip-end').fill('6');
    await form.getByRole('button', { name: en['recordings.clip.cut'] }).click();
    const made = form.getByTestId('clip-made');
    await made.waitFor({ timeout: 30_000 });
    const clipHref = await made.getByRole('link').getAttribute('href');
    const clipId = clipHref.split('/').pop();

    const clips = page.getByTestId('clips');
    const item = clips.getByTestId('clip').filter({ hasText: 'Best bit' });
    assert.equal(await item.getAttribute('data-published'), 'false');

    // Unpublished: a visitor on a phone finds nothing there.
    const { page: phone } = await openBrowsing(open, { hash: `#/clips/${clipId}`, viewport: { width: 375, height: 740 } });
    await phone.getByRole('alert').waitFor({ timeout: 15_000 });  // the server's not_found message
    assert.equal(await phone.getByTestId('clip-video').count(), 0, 'an unpublished clip does not play for others');

    // The host's clip page plays it.
    await page.evaluate((hash) => (window.location.hash = hash), clipHref);
    const hostVideo = page.getByTestId('clip-video');
    await hostVideo.waitFor();
    await page.getByTestId('clip-private').waitFor();
    await hostVideo.evaluate((v) => new Promise((resolve) => (v.readyState >= 2 ? resolve() : v.addEventListener('loadeddata', resolve, { once: true }))));
    await assertDecodes(hostVideo, 'clip for its host');
    const duration = await hostVideo.evaluate((v) => v.duration);
    assert.ok(duration >= 3.9 && duration <= 5.1, `the clip holds the four seconds asked for, at most a second more (${duration})`);

    // Published from the studio: the visitor's page plays it.
    await page.evaluate((hash) => (window.location.hash = hash), '#/studio');
    const published = page.getByTestId('clips').getByTestId('clip').filter({ hasText: 'Best bit' });
    await published.getByRole('button', { name: en['recordings.clips.publish'] }).click();
    await page.locator('[data-testid="clip"][data-published="true"]').waitFor();
    await phone.reload();
    const phoneVideo = phone.getByTestId('clip-video');
    await phoneVideo.waitFor({ timeout: 15_000 });
    await phoneVideo.evaluate((v) => new Promise((resolve) => (v.readyState >= 2 ? resolve() : v.addEventListener('loadeddata', resolve, { once: true }))));
    await assertDecodes(phoneVideo, 'published clip on a phone');
  }),
);
