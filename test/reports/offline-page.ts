// Opens a written HTML page in headless Chromium, offline, and hands the page to the test; returns
// every console error, page error and non-file request seen, which a self-contained page has none of.
// Chromium comes from the npm registry (@sparticuz/chromium ships the browser inside the package and
// unpacks it on first use), so `npm ci && npm test` needs no apt and no download elsewhere.

import { pathToFileURL } from 'node:url';
import Chromium from '@sparticuz/chromium';
import { chromium, type Page } from 'playwright-core';

export const inOfflinePage = async (htmlPath: string, check: (page: Page) => Promise<void>): Promise<string[]> => {
  const browser = await chromium.launch({
    executablePath: await Chromium.executablePath(),
    args: [...Chromium.args, '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(htmlPath).href);
    await check(page);
    return problems;
  } finally {
    await browser.close();
  }
};
