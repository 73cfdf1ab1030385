// PRODUCT B1, B2: real-name verification with the device camera. The server's refusals reach the
// page in the person's language; the camera is off as soon as the photo is taken or the page is
// left; the photo is kept nowhere in the browser; a refused camera is explained; the pages fit a
// phone and work from the keyboard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, zh } from './support/i18n.mjs';
import { cameraUse, refuseCamera, residentId, watchCamera } from './support/live.mjs';
import { acceptPolicy, consentPurposes, logInWithCode, mainNav, names } from './support/person.mjs';

const PHONE = { width: 375, height: 812 };

async function fitsWidth(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `page is ${scrollWidth}px wide at a ${width}px viewport`);
}

/** Everything this origin keeps in the browser, as one string. */
async function storedInBrowser(page) {
  return page.evaluate(() => {
    const all = [];
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i += 1) {
        const key = storage.key(i);
        all.push(`${key}=${storage.getItem(key)}`);
      }
    }
    return all.join('\n');
  });
}

test('in Chinese, a wrong check digit shows the server’s message; the right number verifies, and the face can be checked again', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const purposes = await consentPurposes(server);
    const realName = purposes.find((p) => p.id === 'real_name');
    assert.ok(realName, 'the policy has the real_name purpose');
    assert.equal(realName.basis, 'separate_consent');

    const { page } = await open({ prepare: watchCamera });
    await acceptPolicy(page, names(purposes.filter((p) => p.necessary)));
    await logInWithCode(page, '13100131000');
    await page.getByLabel(en['lang.label']).selectOption('zh-CN');
    await mainNav(page, zh).getByRole('link', { name: zh['nav.realName'] }).click();
    await page.getByRole('heading', { level: 1, name: zh['realName.title'] }).waitFor();

    // The separate consent, in the policy's own words, unticked.
    const consent = page.getByLabel(zh['realName.consentLabel'].replace('{purpose}', realName.name['zh-CN']));
    assert.equal(await consent.isChecked(), false);
    await page.getByText(realName.description['zh-CN']).waitFor();
    const submit = page.getByRole('button', { name: zh['realName.submit'] });
    assert.ok(await submit.isDisabled());

    await page.getByLabel(zh['realName.name']).fill('李小梅');
    const right = residentId({ birth: '19880512', sequence: '045' });
    const wrong = residentId({ birth: '19880512', sequence: '045', wrongCheck: true });
    assert.notEqual(right, wrong);
    await page.getByLabel(zh['realName.idNumber']).fill(wrong);

    // The camera: on, a photo, and off again at once.
    await page.getByRole('button', { name: zh['camera.on'] }).click();
    await page.getByLabel(zh['camera.preview']).waitFor();
    assert.equal((await cameraUse(page)).live, 1, 'the camera is on while the preview shows');
    await page.getByRole('button', { name: zh['camera.take'] }).click();
    const photo = page.getByRole('img', { name: zh['camera.photoAlt'] });
    await photo.waitFor();
    assert.deepEqual(await cameraUse(page), { opened: 1, live: 0 });
    const src = await photo.getAttribute('src');
    assert.match(src, /^data:image\/jpeg;base64,/);
    const size = await photo.evaluate((img) => ({ w: img.naturalWidth, h: img.naturalHeight }));
    assert.deepEqual(size, { w: 640, h: 480 });

    // Retake: the camera comes back, and goes again with the new photo.
    await page.getByRole('button', { name: zh['camera.retake'] }).click();
    await page.getByRole('button', { name: zh['camera.take'] }).click();
    await photo.waitFor();
    assert.deepEqual(await cameraUse(page), { opened: 2, live: 0 });

    assert.ok(await submit.isDisabled(), 'no consent yet');
    await consent.check();
    assert.ok(await submit.isEnabled());

    let answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/me/real-name' && r.request().method() === 'POST');
    await submit.click();
    const refusal = await (await answer).json();
    assert.equal(refusal.error.code, 'id_check_digit_wrong');
    await page.getByRole('alert').filter({ hasText: refusal.error.message['zh-CN'] }).waitFor();
    // The consent was given just before, and is now on record.
    await page.getByTestId('real-name-consent-given').waitFor();
    const state = await page.evaluate(async () => {
      const r = await fetch('/api/v1/me/consents', {
        headers: { Authorization: `Bearer ${localStorage.getItem('veil.session')}` },
      });
      return r.json();
    });
    assert.equal(state.purposes.find((p) => p.id === 'real_name').granted, true);

    // Follows a language switch, like every server message.
    await page.getByLabel(zh['lang.label']).selectOption('en');
    await page.getByRole('alert').filter({ hasText: refusal.error.message.en }).waitFor();
    await page.getByLabel(en['lang.label']).selectOption('zh-CN');

    // The right number, with the same photo.
    await page.getByLabel(zh['realName.idNumber']).fill(right);
    answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/me/real-name' && r.request().method() === 'POST');
    await submit.click();
    assert.equal((await answer).status(), 200);
    await page.getByRole('status').filter({ hasText: zh['realName.verifiedNow'] }).waitFor();
    assert.equal(await page.getByTestId('real-name-name').innerText(), '李**');
    assert.equal(await page.getByTestId('real-name-id').innerText(), `110105${'*'.repeat(11)}${right[17]}`);
    const stored = await storedInBrowser(page);
    assert.ok(!stored.includes('data:image') && !stored.includes(src.slice(30, 90)), 'no photo in browser storage');
    assert.ok(!stored.includes(right), 'no ID number in browser storage');

    // Checking the face again: the camera starts when asked, and a new photo is compared.
    const before = await page.getByTestId('real-name-face-checked').innerText();
    await server.advanceClock(120);
    await page.getByRole('button', { name: zh['realName.recheck'] }).click();
    await page.getByRole('button', { name: zh['camera.take'] }).click();
    await page.getByRole('button', { name: zh['realName.recheckSend'] }).click();
    await page.getByRole('status').filter({ hasText: zh['realName.recheckPassed'] }).waitFor();
    assert.notEqual(await page.getByTestId('real-name-face-checked').innerText(), before);
    assert.equal((await cameraUse(page)).live, 0);

    // Leaving the page with the camera on turns it off.
    await page.getByRole('button', { name: zh['realName.recheck'] }).click();
    await page.getByRole('button', { name: zh['camera.take'] }).waitFor();
    await page.waitForFunction(() => window.__veilStreams.length === 4);
    assert.equal((await cameraUse(page)).live, 1);
    await mainNav(page, zh).getByRole('link', { name: zh['nav.home'] }).click();
    await page.waitForURL((url) => url.hash === '#/');
    await page.waitForFunction(() =>
      window.__veilStreams.every((s) => s.getTracks().every((t) => t.readyState === 'ended')),
    );
  }),
);

test('at phone width and with the keyboard only: a refused camera is explained, and a streamer application is sent', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    const purposes = await consentPurposes(server);
    const { page } = await open({ viewport: PHONE, prepare: refuseCamera });
    await acceptPolicy(page, names(purposes.filter((p) => p.necessary)));
    await logInWithCode(page, '13000130000');
    await fitsWidth(page, PHONE.width);

    // Notices: nothing yet, and the page says so.
    await mainNav(page).getByRole('link', { name: en['nav.notices'] }).click();
    await page.getByTestId('notices-empty').filter({ hasText: en['notices.empty'] }).waitFor();
    assert.equal(await mainNav(page).getByTestId('unread-count').count(), 0);
    await fitsWidth(page, PHONE.width);

    // The camera refused: a clear message, and nothing can be sent.
    await mainNav(page).getByRole('link', { name: en['nav.realName'] }).click();
    const turnOn = page.getByRole('button', { name: en['camera.on'] });
    await turnOn.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: en['camera.error.denied'] }).waitFor();
    await page.getByRole('button', { name: en['camera.tryAgain'] }).waitFor();
    assert.ok(await page.getByRole('button', { name: en['realName.submit'] }).isDisabled());
    await fitsWidth(page, PHONE.width);

    // The streamer application, from the keyboard alone: Tab from field to field.
    await mainNav(page).getByRole('link', { name: en['nav.studio'] }).click();
    const name = page.getByLabel(en['studio.name']);
    await name.waitFor();
    await fitsWidth(page, PHONE.width);
    await name.focus();
    await page.keyboard.type('Li Mei');
    await page.keyboard.press('Tab'); // the link to verify first, in the hint
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'scope');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByLabel(en['studio.scope']).inputValue(), 'career');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByLabel(en['studio.scope']).inputValue(), 'lecture');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'intro');
    await page.keyboard.type('Evening lectures on classical Chinese poetry.');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      en['studio.apply'],
    );
    await page.keyboard.press('Enter');
    await page
      .getByTestId('application-status')
      .filter({ hasText: en['studio.status.pending'] })
      .waitFor();
    await page.getByText(en['scope.lecture'], { exact: true }).waitFor();
    await fitsWidth(page, PHONE.width);
  }),
);
