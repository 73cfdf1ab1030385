// Debian's Chromium, headless, with the machine's closed network in mind: no background traffic.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser profile (empty localStorage) opened on the app. */
export async function openApp(browser, server, { locale = 'en-US', viewport, hash = '#/' } = {}) {
  const context = await browser.newContext({
    locale,
    viewport: viewport ?? { width: 1024, height: 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/${hash}`);
  return { context, page };
}
