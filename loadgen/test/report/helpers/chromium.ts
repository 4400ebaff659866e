import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium package (infra/ci/ensure-chromium.sh installs it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenedPage {
  page: Page;
  /** console errors and uncaught page errors, in order. */
  errors: string[];
  /** Every network request the page tried that was not the file itself (an offline page has none). */
  requests: string[];
  close: () => Promise<void>;
}

/** Open a local HTML file in a real headless Chromium with a fresh profile directory. */
export function openInChromium(file: string, viewport = { width: 1400, height: 900 }): Promise<OpenedPage> {
  return openPage(`file://${file}`, 'file://', viewport);
}

/**
 * Open a page served over HTTP (the live dashboard); `requests` lists what it asked of any other
 * origin (an offline page asks nothing of one).
 */
export function openUrlInChromium(url: string, viewport = { width: 1400, height: 900 }): Promise<OpenedPage> {
  return openPage(url, new URL(url).origin, viewport);
}

async function openPage(
  url: string,
  ownOrigin: string,
  viewport: { width: number; height: number },
): Promise<OpenedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'glab-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(ownOrigin)) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    errors,
    requests,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
