// PRODUCT A1, A2, A5, A6: register with a code, fill the optional profile, log out, log back in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPerson } from './support/browser.mjs';
import { en } from './support/i18n.mjs';
import {
  acceptPolicy,
  consentPurposes,
  logInWithCode,
  logOut,
  names,
  saveProfile,
  mainNav,
} from './support/person.mjs';

test('a person registers with a code, fills the profile, logs out and logs back in', { timeout: 180_000 }, () =>
  withPerson(async ({ server, page }) => {
    const phone = '13800138000';

    // Accept only what registering needs: the profile consent is asked for when it is used.
    const purposes = await consentPurposes(server);
    await acceptPolicy(page, names(purposes.filter((p) => p.necessary)));
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('veil.consent')));
    assert.equal(stored.mode, 'accepted');
    assert.equal(stored.version, (await server.getJson('/api/v1/info')).policy_version);

    await logInWithCode(page, phone);
    assert.ok(await page.evaluate(() => localStorage.getItem('veil.session')));
    assert.equal(await page.getByTestId('phone-masked').innerText(), '138****8000');
    assert.equal(await page.getByTestId('account-status').innerText(), en['profile.status.active']);

    // Saving the empty form is fine: nothing is sent.
    await page.getByRole('button', { name: en['profile.save'] }).click();
    await page.getByRole('status').filter({ hasText: en['profile.noChanges'] }).waitFor();

    await page.getByLabel(en['profile.nickname']).fill('Lin');
    await page.getByLabel(en['profile.gender']).selectOption('female');
    await page.getByLabel(en['profile.hometown']).fill('Hangzhou');
    await page.getByLabel(en['profile.intro']).fill('I teach calligraphy.');
    const { askedForConsent } = await saveProfile(page);
    assert.ok(askedForConsent, 'the profile consent was asked for, not assumed');

    // Roles: add one, remove it, the others stay.
    const before = await page.getByTestId('roles').locator('li').count().catch(() => 0);
    await page.getByLabel(en['profile.roleToAdd']).selectOption('recruiter');
    await page.getByRole('button', { name: en['profile.addRole'] }).click();
    await page.getByTestId('roles').getByText(en['role.recruiter']).waitFor();
    await page.getByLabel(en['profile.roleToAdd']).selectOption('lecturer');
    await page.getByRole('button', { name: en['profile.addRole'] }).click();
    await page.getByTestId('roles').getByText(en['role.lecturer']).waitFor();
    await page
      .getByRole('button', { name: en['profile.removeRoleLabel'].replace('{role}', en['role.recruiter']) })
      .click();
    await page.getByTestId('roles').getByText(en['role.recruiter']).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('roles').locator('li').count(), before + 1);

    await page.getByLabel(en['profile.password']).fill('short');
    await page.getByRole('button', { name: en['profile.passwordSubmit'] }).click();
    await page.getByText(en['profile.passwordLength']).waitFor();
    await page.getByLabel(en['profile.password']).fill('a long enough password');
    await page.getByRole('button', { name: en['profile.passwordSubmit'] }).click();
    await page.getByRole('status').filter({ hasText: en['profile.passwordSaved'] }).waitFor();

    await logOut(page);
    assert.equal(await page.evaluate(() => localStorage.getItem('veil.session')), null);

    // Back with a new code (after the resend pause, on the development clock).
    await server.advanceClock(120);
    await logInWithCode(page, phone);
    assert.equal(await page.getByLabel(en['profile.nickname']).inputValue(), 'Lin');
    assert.equal(await page.getByLabel(en['profile.gender']).inputValue(), 'female');
    await page.getByTestId('roles').getByText(en['role.lecturer']).waitFor();

    // And with the password.
    await logOut(page);
    await mainNav(page).getByRole('link', { name: en['nav.login'] }).click();
    await page.getByRole('button', { name: en['login.method.password'] }).click();
    await page.getByLabel(en['login.phone']).fill(phone);
    await page.getByLabel(en['login.password'], { exact: true }).fill('a wrong password');
    await page.getByRole('button', { name: en['login.passwordSubmit'] }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel(en['login.password'], { exact: true }).fill('a long enough password');
    await page.getByRole('button', { name: en['login.passwordSubmit'] }).click();
    await page.waitForURL((url) => url.hash === '#/profile');
    assert.equal(await page.getByLabel(en['profile.nickname']).inputValue(), 'Lin');
  }),
);
