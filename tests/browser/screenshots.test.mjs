// Pictures for the README, taken from the real app, and a check that a phone-width screen needs no
// sideways scrolling.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en } from './support/i18n.mjs';
import { acceptPolicy, consentPurposes, logInWithCode, names, saveProfile } from './support/person.mjs';
import { repoRoot } from './support/server.mjs';

const SHOTS = path.join(repoRoot, 'docs/screenshots');
const PHONE = { width: 375, height: 812 };

before(async () => {
  await mkdir(SHOTS, { recursive: true });
});

async function fitsWidth(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `page is ${scrollWidth}px wide at a ${width}px viewport`);
}

test('a person sees the consent dialog, the profile page and the studio (screenshots, phone and desktop)', { timeout: 180_000 }, () =>
  withApp(async ({ server, open }) => {
    // Phone width first: the dialog and the profile fit without sideways scrolling.
    const phone = await open({ viewport: PHONE });
    await phone.page.getByRole('dialog', { name: en['consent.title'] }).getByRole('checkbox').first().waitFor();
    await fitsWidth(phone.page, PHONE.width);
    await acceptPolicy(phone.page, names(await consentPurposes(server)));
    await logInWithCode(phone.page, '13500135000');
    await fitsWidth(phone.page, PHONE.width);
    await phone.context.close();

    const { page } = await open({ viewport: { width: 1100, height: 900 } });
    const dialog = page.getByRole('dialog', { name: en['consent.title'] });
    await dialog.getByRole('checkbox').first().waitFor();
    const purposes = await consentPurposes(server);
    await dialog.getByRole('checkbox', { name: purposes.find((p) => p.necessary).name.en, exact: true }).check();
    await page.screenshot({ path: path.join(SHOTS, 'consent-dialog.png') });
    await acceptPolicy(page, names(purposes.filter((p) => !p.necessary)));

    await logInWithCode(page, '13400134000');
    await page.getByLabel(en['profile.nickname']).fill('Lin');
    await page.getByLabel(en['profile.gender']).selectOption('female');
    await page.getByLabel(en['profile.hometown']).fill('Hangzhou');
    await page.getByLabel(en['profile.industry']).fill('Education');
    await page.getByLabel(en['profile.intro']).fill('I teach calligraphy live on Sunday evenings.');
    await saveProfile(page);
    await page.getByLabel(en['profile.roleToAdd']).selectOption('lecturer');
    await page.getByRole('button', { name: en['profile.addRole'] }).click();
    await page.getByTestId('roles').getByText(en['role.lecturer']).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'profile.png'), fullPage: true });

    // The streamer studio with the application filled in, before it is sent.
    await page.getByRole('navigation', { name: en['nav.label'], exact: true }).getByRole('link', { name: en['nav.studio'] }).click();
    await page.getByLabel(en['studio.name']).fill('Lin Mei');
    await page.getByLabel(en['studio.scope']).selectOption('lecture');
    await page.getByLabel(en['studio.intro']).fill('Calligraphy lessons live on Sunday evenings: brushes, strokes and the classics.');
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    await page.screenshot({ path: path.join(SHOTS, 'studio.png'), fullPage: true });
  }),
);
