// The whole interface in zh-CN or English, chosen without an account and remembered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, zh } from './support/i18n.mjs';
import { acceptPolicy, consentPurposes, names, mainNav } from './support/person.mjs';

test('a visitor switches the language and it stays switched after a reload', { timeout: 120_000 }, () =>
  withApp(async ({ server, open }) => {
    // The browser's language decides the first time.
    const chinese = await open({ locale: 'zh-CN' });
    await chinese.page.getByRole('dialog', { name: zh['consent.title'] }).waitFor();
    await chinese.context.close();

    const { page } = await open({ locale: 'en-US' });
    const dialog = page.getByRole('dialog', { name: en['consent.title'] });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: en['consent.browse'] }).click();
    await mainNav(page).getByRole('link', { name: en['nav.home'] }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

    await page.getByLabel(en['lang.label']).selectOption('zh-CN');
    await mainNav(page, zh).getByRole('link', { name: zh['nav.home'] }).waitFor();
    await page.getByText(zh['minimal.banner']).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.evaluate(() => document.title), zh['app.documentTitle']);
    assert.equal(await page.evaluate(() => localStorage.getItem('veil.lang')), 'zh-CN');

    await page.reload();
    await mainNav(page, zh).getByRole('link', { name: zh['nav.home'] }).waitFor();
    assert.equal(await page.getByLabel(zh['lang.label']).inputValue(), 'zh-CN');

    // Documents come from the server in the chosen language, and follow a switch.
    const zhDocument = page.waitForResponse((r) => r.url().includes('/policy/documents/privacy-policy?lang=zh-CN'));
    await page.getByRole('link', { name: zh['doc.privacy-policy'], exact: true }).click();
    const zhTitle = (await (await zhDocument).json()).title;
    await page.getByRole('heading', { level: 1, name: zhTitle }).waitFor();

    const enDocument = page.waitForResponse((r) => r.url().includes('/policy/documents/privacy-policy?lang=en'));
    await page.getByLabel(zh['lang.label']).selectOption('en');
    const enTitle = (await (await enDocument).json()).title;
    await page.getByRole('heading', { level: 1, name: enTitle }).waitFor();
    await page.getByText(en['minimal.banner']).waitFor();

    // Server errors are shown in the chosen language too, and follow a switch.
    await page.getByRole('button', { name: en['minimal.review'] }).click();
    await acceptPolicy(page, names((await consentPurposes(server)).filter((p) => p.necessary)));
    await mainNav(page).getByRole('link', { name: en['nav.login'] }).click();
    await page.getByLabel(en['lang.label']).selectOption('zh-CN');
    await page.getByLabel(zh['login.phone']).fill('12345');
    const refusal = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/code'));
    await page.getByRole('button', { name: zh['login.sendCode'] }).click();
    const body = await (await refusal).json();
    assert.ok(body.error.message['zh-CN'] && body.error.message.en, 'the server sends both messages');
    await page.getByRole('alert').filter({ hasText: body.error.message['zh-CN'] }).waitFor();
    await page.getByLabel(zh['lang.label']).selectOption('en');
    await page.getByRole('alert').filter({ hasText: body.error.message.en }).waitFor();
  }),
);
