// PRODUCT I1: under 14, the account waits for a guardian's consent before anything more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPerson } from './support/browser.mjs';
import { en } from './support/i18n.mjs';
import {
  acceptPolicy,
  consentPurposes,
  isoDateYearsAgo,
  logInWithCode,
  names,
  readCodeFromOutbox,
  saveProfile,
  mainNav,
} from './support/person.mjs';

test('a ten-year-old registers, waits for the guardian, and can edit the profile once the guardian consents', { timeout: 180_000 }, () =>
  withPerson(async ({ server, page }) => {
    await acceptPolicy(page, names(await consentPurposes(server)));

    await logInWithCode(page, '13700137000', {
      birthDate: isoDateYearsAgo(10),
      expectHash: '#/guardian',
    });
    await page.getByRole('heading', { level: 1, name: en['guardian.title'] }).waitFor();

    // The profile cannot be edited yet: the page says why, and the server refuses too.
    await mainNav(page).getByRole('link', { name: en['nav.profile'] }).click();
    await page.getByTestId('awaiting-guardian').waitFor();
    assert.equal(
      await page.getByTestId('account-status').innerText(),
      en['profile.status.awaiting_guardian'],
    );
    assert.ok(await page.getByLabel(en['profile.nickname']).isDisabled());
    assert.ok(await page.getByRole('button', { name: en['profile.save'] }).isDisabled());
    const refused = await page.evaluate(async () => {
      const response = await fetch('/api/v1/me/profile', {
        method: 'PATCH',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${localStorage.getItem('veil.session')}`,
        },
        body: JSON.stringify({ nickname: 'Xiaoming' }),
      });
      return { status: response.status, body: await response.json() };
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'guardian_consent_required');

    // The guardian step.
    await page.getByRole('link', { name: en['profile.goGuardian'] }).click();
    await page.waitForURL((url) => url.hash === '#/guardian');
    const guardianPhone = '13900139000';
    await page.getByLabel(en['guardian.phone']).fill(guardianPhone);
    await page.getByRole('button', { name: en['guardian.sendCode'] }).click();
    await page.getByRole('status').filter({ hasText: guardianPhone }).waitFor();
    const code = await readCodeFromOutbox(page);
    await page.getByLabel(en['guardian.code']).fill(code);
    const confirm = page.getByRole('button', { name: en['guardian.submit'] });
    assert.ok(await confirm.isDisabled(), 'nothing is confirmed before the guardian ticks the box');
    await page.getByLabel(en['guardian.agree']).check();
    await confirm.click();

    await page.waitForURL((url) => url.hash === '#/profile');
    await page
      .getByTestId('account-status')
      .filter({ hasText: en['profile.status.active'] })
      .waitFor();
    assert.equal(await page.getByTestId('awaiting-guardian').count(), 0);
    await page.getByLabel(en['profile.nickname']).fill('Xiaoming');
    await saveProfile(page);
    await page.reload();
    assert.equal(await page.getByLabel(en['profile.nickname']).inputValue(), 'Xiaoming');
  }),
);
