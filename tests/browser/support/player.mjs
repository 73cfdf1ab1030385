// What a room's player shows, read from its <video>: decoded frames, size and colour.
import assert from 'node:assert/strict';

/** Decoded frames so far, and the mean brightness of the current one (drawn to a canvas). */
export async function playerFrames(page) {
  return page.getByTestId('player-video').evaluate((video) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 36;
    const context = canvas.getContext('2d');
    context.drawImage(video, 0, 0, 64, 36);
    const pixels = context.getImageData(0, 0, 64, 36).data;
    const mean = [0, 0, 0];
    for (let i = 0; i < pixels.length; i += 4) for (let c = 0; c < 3; c++) mean[c] += pixels[i + c] / (pixels.length / 4);
    return {
      decoded: video.getVideoPlaybackQuality().totalVideoFrames,
      width: video.videoWidth,
      brightness: (mean[0] + mean[1] + mean[2]) / 3,
      red: mean[0],
      green: mean[1],
      blue: mean[2],
    };
  });
}

/** The room's player on `page` plays over `transport`: frames keep arriving, of the room's size, not black. Returns the last look. */
export async function assertPlays(page, transport) {
  await page.locator(`[data-testid="player"][data-state="playing"][data-transport="${transport}"]`).waitFor({ timeout: 60_000 });
  const first = await playerFrames(page);
  await page.waitForTimeout(2000);
  const later = await playerFrames(page);
  assert.ok(later.decoded - first.decoded >= 20, `${transport}: frames keep arriving (${first.decoded} then ${later.decoded})`);
  assert.equal(later.width, 640, `${transport}: the room output is 640 wide`);
  assert.ok(later.brightness > 20, `${transport}: the publisher's picture, not the empty room's black (${later.brightness})`);
  return later;
}
