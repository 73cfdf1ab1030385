// PRODUCT G6, H1: a person sees what they agreed to, withdraws and grants again, and downloads a
// signed receipt of a choice.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { withPerson } from './support/browser.mjs';
import { en } from './support/i18n.mjs';
import { acceptPolicy, consentPurposes, logInWithCode, names, mainNav } from './support/person.mjs';

test('a person withdraws a consent, grants it again and downloads a receipt', { timeout: 120_000 }, () =>
  withPerson(async ({ server, page }) => {
    const purposes = await consentPurposes(server);
    const profile = purposes.find((p) => p.id === 'profile');
    assert.ok(profile, 'the policy has a profile purpose');
    await acceptPolicy(page, names(purposes.filter((p) => p.necessary || p.id === 'profile')));
    await logInWithCode(page, '13600136000');

    await mainNav(page).getByRole('link', { name: en['nav.consents'] }).click();
    const list = page.getByTestId('purpose-list');
    await list.waitFor();
    const profileRow = list.locator('li').filter({ hasText: profile.name.en });
    await profileRow.getByText(en['consents.granted'], { exact: true }).waitFor();
    // What the account cannot exist without is marked, and offers no withdrawal the server refuses.
    for (const needed of purposes.filter((p) => p.necessary)) {
      const row = list.locator('li').filter({ hasText: needed.name.en });
      await row.getByText(en['consents.necessaryHint']).waitFor();
      assert.equal(await row.getByRole('button').count(), 0);
    }
    const records = page.getByTestId('consent-records').locator('tbody tr');
    const before = await records.count();
    assert.ok(before >= 1, 'the acceptance at registration is on record');

    const withdraw = en['consents.toggleLabel']
      .replace('{action}', en['consents.withdraw'])
      .replace('{purpose}', profile.name.en);
    await page.getByRole('button', { name: withdraw }).click();
    await profileRow.getByText(en['consents.notGranted'], { exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: en['consents.saved'] }).waitFor();
    assert.equal(await records.count(), before + 1);

    const grant = en['consents.toggleLabel']
      .replace('{action}', en['consents.grant'])
      .replace('{purpose}', profile.name.en);
    await page.getByRole('button', { name: grant }).click();
    await profileRow.getByText(en['consents.granted'], { exact: true }).waitFor();
    assert.equal(await records.count(), before + 2);

    const seq = (await records.last().locator('td').first().innerText()).trim();
    const download = page.waitForEvent('download');
    await page
      .getByRole('button', { name: en['consents.downloadLabel'].replace('{seq}', seq) })
      .click();
    const file = await download;
    assert.match(file.suggestedFilename(), /\.json$/);
    const receipt = JSON.parse(await readFile(await file.path(), 'utf8'));
    assert.equal(typeof receipt, 'object');
  }),
);
