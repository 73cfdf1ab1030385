// The consent dialog works with the keyboard alone, and focus cannot wander behind it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPerson } from './support/browser.mjs';
import { en } from './support/i18n.mjs';
import { consentPurposes } from './support/person.mjs';

test('a keyboard user makes the privacy choice without leaving the dialog', { timeout: 120_000 }, () =>
  withPerson(async ({ server, page }) => {
    const dialog = page.getByRole('dialog', { name: en['consent.title'] });
    await dialog.getByRole('checkbox').first().waitFor();
    const insideDialog = () =>
      page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')));
    assert.ok(await insideDialog(), 'focus starts in the dialog');

    // Tab round the dialog twice (and backwards): focus never reaches the page behind.
    const stops = await dialog.locator('a[href], button:not([disabled]), input').count();
    for (let i = 0; i < stops * 2 + 2; i += 1) {
      await page.keyboard.press('Tab');
      assert.ok(await insideDialog(), `Tab ${i + 1} stays in the dialog`);
    }
    for (let i = 0; i < stops + 2; i += 1) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await insideDialog(), `Shift+Tab ${i + 1} stays in the dialog`);
    }
    // Escape does not close a first-visit dialog: a choice is needed.
    await page.keyboard.press('Escape');
    assert.ok(await dialog.isVisible());

    // Tick each needed purpose with Space, then reach Accept and press Enter.
    const needed = (await consentPurposes(server)).filter((p) => p.necessary);
    for (const purpose of needed) {
      const box = dialog.getByRole('checkbox', { name: purpose.name.en, exact: true });
      await box.focus();
      await page.keyboard.press('Space');
      assert.ok(await box.isChecked());
    }
    const accept = dialog.getByRole('button', { name: en['consent.accept'] });
    assert.ok(await accept.isEnabled());
    for (let i = 0; i < 40; i += 1) {
      if (await accept.evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('veil.consent')));
    assert.deepEqual(stored.purposes.sort(), needed.map((p) => p.id).sort());
  }),
);
