// PRODUCT G2: a visitor who chooses "Browse only" can read everything public, and the server
// stores nothing about them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, pattern } from './support/i18n.mjs';
import { browseOnly, consentPurposes, mainNav } from './support/person.mjs';
import { personalRowCounts } from './support/server.mjs';

test('a first visit in browse-only mode reads the home page and every document and stores nothing', { timeout: 120_000 }, () =>
  withApp(async ({ server, open }) => {
    // What the server holds before anyone visits, to tell its own rows from a visitor's.
    const atStart = await personalRowCounts(server.dataDir);
    const { context, page } = await open();
    const apiCalls = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(`${request.method()} ${url.pathname}`);
    });

    // The dialog asks first, one checkbox per purpose that needs consent, nothing pre-ticked.
    const dialog = page.getByRole('dialog', { name: en['consent.title'] });
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    const purposes = await consentPurposes(server);
    assert.ok(purposes.length > 0, 'the policy has purposes that need consent');
    const boxes = dialog.getByRole('checkbox');
    await boxes.first().waitFor();
    assert.equal(await boxes.count(), purposes.length);
    for (const purpose of purposes) {
      assert.equal(await dialog.getByRole('checkbox', { name: purpose.name.en, exact: true }).isChecked(), false);
    }
    assert.ok(await dialog.getByRole('button', { name: en['consent.accept'] }).isDisabled());

    // The full policy can be read before choosing; the dialog steps aside and a banner brings it back.
    await dialog.getByRole('link', { name: en['consent.fullPolicy'] }).click();
    await page.waitForURL((url) => url.hash === '#/documents/privacy-policy');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(pattern(en['documents.version'])).waitFor();
    await page.getByTestId('pending-banner').getByRole('button', { name: en['pending.review'] }).click();
    await dialog.waitFor();

    await browseOnly(page);
    await page.getByText(en['minimal.banner']).waitFor();
    assert.deepEqual(
      JSON.parse(await page.evaluate(() => localStorage.getItem('veil.consent'))),
      { mode: 'browse' },
    );

    // Every generated document opens, with its sections.
    const documents = ['privacy-policy', 'collected-pi', 'third-parties', 'permissions'];
    for (const doc of documents) {
      await mainNav(page).getByRole('link', { name: en['nav.home'] }).click();
      await page.getByRole('link', { name: en[`doc.${doc}`], exact: true }).click();
      await page.waitForURL((url) => url.hash === `#/documents/${doc}`);
      await page.getByText(pattern(en['documents.version'])).waitFor();
      const headings = await page.locator('.document__body h2').count();
      const empty = await page.getByText(en['documents.empty']).count();
      assert.ok(headings > 0 || empty > 0, `${doc} shows sections or says it has none`);
    }

    // Registering explains that it needs the policy, and offers the dialog again.
    await page.goto(`${server.url}/#/login`);
    await page.getByTestId('login-needs-consent').waitFor();
    assert.equal(await page.getByLabel(en['login.phone']).count(), 0);
    await page.getByRole('button', { name: en['login.needsConsent.button'] }).click();
    await page.getByRole('dialog', { name: en['consent.title'] }).waitFor();
    await browseOnly(page);
    await page.getByRole('button', { name: en['minimal.review'] }).click();
    await page.getByRole('dialog', { name: en['consent.title'] }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const collecting = apiCalls.filter((call) => !/^GET \/api\/v1\/(info|policy)/.test(call));
    assert.deepEqual(collecting, [], 'only public reads were made');
    await context.close();

    await server.stop();
    const counts = await personalRowCounts(server.dataDir);
    assert.ok(Object.keys(counts).length > 0, 'the data map names personal tables');
    assert.deepEqual(counts, atStart, 'browsing added no personal rows');
    // The audit log holds the server's own start-up entry (the policy publication, actor
    // "system"), and wallet_accounts the platform's own three wallets (payments, revenue, payouts:
    // no owner, made by migration 501): they were there before anyone came (checked just above) and
    // are about no person. `personal-row-counts` counts them all the same. Every other personal
    // table must still be empty.
    const serverOwn = new Set(['audit_log', 'wallet_accounts']);
    const nonEmpty = Object.fromEntries(Object.entries(counts).filter(([table, n]) => n !== 0 && !serverOwn.has(table)));
    assert.deepEqual(nonEmpty, {}, 'every personal table is empty after browsing only');
  }),
);
