// What a person does in the app, step by step, written once for all flows.
import assert from 'node:assert/strict';
import { en } from './i18n.mjs';

/** The header's navigation (the documents page has a second one, for the other documents). */
export function mainNav(page, messages = en) {
  return page.getByRole('navigation', { name: messages['nav.label'], exact: true });
}

/** The consent dialog: tick the named purposes (by their English names) and accept. */
export async function acceptPolicy(page, purposeNames) {
  const dialog = page.getByRole('dialog', { name: en['consent.title'] });
  await dialog.waitFor();
  for (const name of purposeNames) {
    await dialog.getByRole('checkbox', { name, exact: true }).check();
  }
  await dialog.getByRole('button', { name: en['consent.accept'] }).click();
  await dialog.waitFor({ state: 'detached' });
}

export async function browseOnly(page) {
  const dialog = page.getByRole('dialog', { name: en['consent.title'] });
  await dialog.getByRole('button', { name: en['consent.browse'] }).click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Purposes of the current policy that the dialog asks the person about, from the server itself:
 * those resting on consent, except a child's separate consent, which only a guardian gives.
 */
export async function consentPurposes(server) {
  const policy = await server.getJson('/api/v1/policy');
  return policy.purposes.filter(
    (p) => (p.basis === 'consent' || p.basis === 'separate_consent') && p.given_by !== 'guardian',
  );
}

export function names(purposes) {
  return purposes.map((p) => p.name.en);
}

/**
 * Reads the newest code from the page's development SMS outbox panel, as a person testing a
 * development server would. `after` skips messages already seen.
 */
export async function readCodeFromOutbox(page, { seen = 0 } = {}) {
  const outbox = page.getByTestId('dev-outbox');
  const messages = outbox.getByTestId('dev-outbox-message');
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await outbox.getByRole('button', { name: en['dev.outbox.check'] }).click();
    await page.waitForTimeout(150);
    if ((await messages.count()) > seen) break;
  }
  assert.ok((await messages.count()) > seen, 'a new message in the development outbox');
  // The panel lists the newest first.
  const text = await messages.first().innerText();
  const runs = text.match(/\d{4,8}/g) ?? [];
  assert.ok(runs.length > 0, `a code in the message: ${text}`);
  return runs.sort((a, b) => b.length - a.length)[0];
}

/** Log in or register with a code: phone → send → read the outbox → code (+ birth date) → continue. */
export async function logInWithCode(page, phone, { birthDate, expectHash = '#/profile' } = {}) {
  if (!page.url().endsWith('#/login')) {
    await mainNav(page).getByRole('link', { name: en['nav.login'] }).click();
  }
  await page.getByLabel(en['login.phone']).fill(phone);
  const seen = await page.getByTestId('dev-outbox-message').count();
  await page.getByRole('button', { name: en['login.sendCode'] }).click();
  await page.getByRole('status').filter({ hasText: phone }).waitFor();
  const code = await readCodeFromOutbox(page, { seen });
  await page.getByLabel(en['login.code']).fill(code);
  if (birthDate) await page.getByLabel(en['login.birthDate']).fill(birthDate);
  await page.getByRole('button', { name: en['login.verify'] }).click();
  await page.waitForURL((url) => url.hash === expectHash);
}

export async function logOut(page) {
  if (!page.url().endsWith('#/profile')) {
    await mainNav(page).getByRole('link', { name: en['nav.profile'] }).click();
  }
  await page.getByRole('button', { name: en['profile.logout'] }).click();
  await mainNav(page).getByRole('link', { name: en['nav.login'] }).waitFor();
}

/** Save the profile; when the server asks for the profile consent, give it (the person decides). */
export async function saveProfile(page) {
  await page.getByRole('button', { name: en['profile.save'] }).click();
  const saved = page.getByRole('status').filter({ hasText: en['profile.saved'] });
  const ask = page.getByTestId('profile-consent-needed');
  await saved.or(ask).first().waitFor();
  if (await ask.isVisible()) {
    await ask.getByRole('button', { name: en['profile.grantConsent'] }).click();
    await saved.waitFor();
    return { askedForConsent: true };
  }
  return { askedForConsent: false };
}

export function isoDateYearsAgo(years) {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  return d.toISOString().slice(0, 10);
}
