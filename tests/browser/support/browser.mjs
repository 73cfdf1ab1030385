// Debian's Chromium, headless, with the machine's closed network in mind: no background traffic.
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

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
      // A synthetic camera and microphone, allowed without a prompt: the real-name face photo, and
      // broadcasting from the studio.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // WebRTC on loopback: offer the real host address, not an mDNS name the server cannot resolve.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
}

/**
 * A fresh browser profile (empty localStorage) opened on the app. `prepare(context)` runs before
 * the first page opens (init scripts such as support/live.mjs watchCamera).
 */
export async function openApp(browser, server, { locale = 'en-US', viewport, hash = '#/', prepare } = {}) {
  const context = await browser.newContext({
    locale,
    viewport: viewport ?? { width: 1024, height: 800 },
    acceptDownloads: true,
  });
  if (prepare) await prepare(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/${hash}`);
  return { context, page };
}

/**
 * Runs `body({ server, open })` with a server and a browser of its own, and shuts both down however
 * it ends, a failed assertion included, so that no server or browser outlives its test.
 * `open(options)` is openApp on that server: a fresh profile each time.
 */
export async function withApp(body) {
  const server = await startServer();
  let browser;
  try {
    browser = await launchBrowser();
    return await body({ server, open: (options) => openApp(browser, server, options) });
  } finally {
    try {
      await browser?.close();
    } finally {
      await server.close();
    }
  }
}

/** withApp with one person already on the home page: `body({ server, context, page, open })`. */
export function withPerson(body) {
  return withApp(async ({ server, open }) => body({ server, open, ...(await open()) }));
}
