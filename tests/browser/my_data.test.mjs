// PRODUCT H1 (issue 11): a person sees everything held about them, by category, from the consents
// page: their nickname as saved, their phone opened for them, its index described, never shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPerson } from './support/browser.mjs';
import { en, zh } from './support/i18n.mjs';
import { acceptPolicy, consentPurposes, logInWithCode, mainNav, names, saveProfile } from './support/person.mjs';

test('a person opens what is held about them and finds their nickname and phone by category', { timeout: 120_000 }, () =>
  withPerson(async ({ server, page }) => {
    const purposes = await consentPurposes(server);
    await acceptPolicy(page, names(purposes.filter((p) => p.necessary || p.id === 'profile')));
    await logInWithCode(page, '13600136090');
    await page.getByLabel(en['profile.nickname']).fill('Lin Held');
    await saveProfile(page);

    await mainNav(page).getByRole('link', { name: en['nav.consents'] }).click();
    await page.getByRole('link', { name: en['consents.seeMyData'] }).click();
    await page.getByRole('heading', { level: 1, name: en['myData.title'] }).waitFor();

    const profile = page.locator('[data-testid="held-category"][data-category="profile"]');
    await profile.getByRole('heading', { level: 2 }).waitFor();
    const nickname = profile.locator('[data-field="profile.nickname"]');
    assert.equal((await nickname.getByTestId('held-value').innerText()).trim(), 'Lin Held');

    const phone = page.locator('[data-field="account.phone"]');
    assert.match(await phone.getByTestId('held-value').innerText(), /13600136090/, 'the phone, opened for its owner');
    const index = page.locator('[data-field="account.phone_index"]');
    await index.getByText(en['myData.heldAsIndex']).waitFor();
    assert.equal(await index.getByTestId('held-value').count(), 0, 'an index is described, not shown');

    // Record details open from the keyboard.
    const details = profile.locator('summary').first();
    await details.focus();
    await page.keyboard.press('Enter');
    assert.equal(await profile.locator('details').first().getAttribute('open'), '');

    // At phone width nothing runs off the screen, and in Chinese the page reads in Chinese.
    await page.setViewportSize({ width: 375, height: 740 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing wider than the phone');
    await page.getByLabel(en['lang.label']).selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: zh['myData.title'] }).waitFor();
    await page.locator('[data-field="account.phone_index"]').getByText(zh['myData.heldAsIndex']).waitFor();
  }),
);
