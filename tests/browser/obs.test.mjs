// PRODUCT C2 ([002] 视频直播): a host goes on air from OBS. The studio shows the RTMP server and the
// stream key (hidden until asked); an encoder (GStreamer's rtmp2sink with x264 and AAC, what OBS
// sends) pushes with them, and an anonymous viewer's player shows the encoder's green picture.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, zh } from './support/i18n.mjs';
import { assertPlays } from './support/player.mjs';
import { liveHost, openBrowsing, openSignedIn } from './support/rooms.mjs';

/** An RTMP encoder pushing solid green and a tone to `url`, as OBS would; stop() ends it. */
function startEncoder(url) {
  const encoder = spawn(
    'gst-launch-1.0',
    [
      '-q',
      'videotestsrc', 'is-live=true', 'pattern=solid-color', 'foreground-color=0xff00ff00',
      '!', 'video/x-raw,width=640,height=360,framerate=30/1',
      '!', 'x264enc', 'tune=zerolatency', 'speed-preset=ultrafast', 'key-int-max=30',
      '!', 'h264parse', '!', 'flvmux', 'name=mux', 'streamable=true',
      '!', 'rtmp2sink', `location=${url}`,
      'audiotestsrc', 'is-live=true', '!', 'audioconvert', '!', 'avenc_aac', '!', 'aacparse', '!', 'mux.',
    ],
    { stdio: 'ignore' },
  );
  return { stop: () => encoder.kill('SIGINT') };
}

test('a host streams from OBS with the studio\'s server and key, and viewers see it', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host, room } = await liveHost(server, { title: 'Live from OBS' });
    const { page } = await openSignedIn(open, host, { hash: '#/studio' });
    const settings = page.getByTestId('my-room').filter({ hasText: 'Live from OBS' }).getByTestId('encoder-settings');
    await settings.getByRole('button', { name: en['encoder.show'] }).click();
    const serverField = settings.getByLabel(en['encoder.server']);
    const keyField = settings.getByLabel(en['encoder.key']);
    const url = await serverField.inputValue();
    const key = await keyField.inputValue();
    assert.match(url, /^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);
    assert.ok(key.startsWith(`${room.id}?key=`), 'the stream key names the room and carries the credential');
    assert.equal(await keyField.getAttribute('type'), 'password', 'the key is hidden until asked');
    await settings.getByRole('button', { name: en['encoder.showKey'] }).click();
    assert.equal(await keyField.getAttribute('type'), 'text');

    const encoder = startEncoder(`${url}/${key}`);
    try {
      const { page: viewer } = await openBrowsing(open, { hash: `#/rooms/${room.id}` });
      const look = await assertPlays(viewer, 'webrtc');
      assert.ok(look.green > look.red + 60 && look.green > look.blue + 60, `the encoder's green (${JSON.stringify(look)})`);
    } finally {
      encoder.stop();
    }
  }),
);

test('the OBS settings read in Chinese and a leaked key is replaced', { timeout: 120_000 }, () =>
  withApp(async ({ server, open }) => {
    const { host } = await liveHost(server, { title: '直播 OBS' });
    const { page } = await openSignedIn(open, host, { hash: '#/studio', locale: 'zh-CN' });
    const settings = page.getByTestId('my-room').filter({ hasText: '直播 OBS' }).getByTestId('encoder-settings');
    await settings.getByRole('button', { name: zh['encoder.show'] }).click();
    await settings.getByLabel(zh['encoder.key']).waitFor();
    await settings.getByText(zh['encoder.explain']).waitFor();
    await settings.getByText(zh['encoder.lifetime']).waitFor();

    // A key that may have leaked is replaced: a new one appears and the page says so.
    const keyField = settings.getByLabel(zh['encoder.key']);
    const before = await keyField.inputValue();
    await settings.getByRole('button', { name: zh['encoder.newKey'] }).click();
    await settings.getByRole('status').filter({ hasText: zh['encoder.newKeyDone'] }).waitFor();
    const after = await keyField.inputValue();
    assert.ok(after.startsWith(before.slice(0, before.indexOf('?key=') + 5)) && after !== before, 'a new key for the same room');
  }),
);
