import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/paths.js';

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core never downloads a browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) {
  // In CI a missing browser is a failure, not a skip: .ci/run installs it.
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it with apt-get install -y chromium`);
  process.stderr.write(`Chromium not found at ${CHROMIUM}: the browser tests are skipped (apt-get install -y chromium runs them)\n`);
}

/** Screenshots are kept as test artifacts. */
export const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'console');

export function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root without a sandbox; no background traffic: the machine has no network but loopback.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now: no violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(violations, `accessibility of ${what}`).toEqual([]);
}

/** The page fits the viewport's width: nothing but a table's own scroll area is wider. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const widths = await page.evaluate<{ content: number; viewport: number }>('({ content: document.documentElement.scrollWidth, viewport: window.innerWidth })');
  expect(widths.content).toBeLessThanOrEqual(widths.viewport);
}

/**
 * Identifier-like ASCII on a page: kebab-, snake- or dot-joined words, camelCase, or a lowercase English
 * word. USCCs, ULIDs, amounts, dates and applicants' own numbers are upper case or digits and do not
 * match; `allowed` holds the users' own names.
 */
export async function identifierLikeTokens(page: Page, where: string, allowed: ReadonlySet<string> = new Set()): Promise<string[]> {
  const IDENTIFIER = /\b[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[a-z]{3,}\b/g;
  await page.waitForLoadState('networkidle');
  const text = await page.locator('body').innerText();
  return (text.match(IDENTIFIER) ?? []).filter((token) => !allowed.has(token)).map((token) => `${where}: ${token}`);
}
