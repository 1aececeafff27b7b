/** Debian's Chromium driven by playwright-core (never a downloaded browser), axe-core injected into the page. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['GLASSHUB_CHROMIUM'] ?? '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));

export function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium; .ci/run does it), or set GLASSHUB_CHROMIUM`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

/** WCAG 2.x A/AA (2.2 included) violations of impact serious or critical on the page as it is now. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // page.evaluate runs outside the page's CSP, so the console's strict script-src stays on during the test.
  const loaded = await page.evaluate('typeof window.axe');
  if (loaded !== 'object') await page.evaluate(axe.source);
  // A string expression: the test's TypeScript has no DOM types, the page has.
  const run = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) })))`;
  const result = await page.evaluate<Violation[]>(run);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Uncaught errors and CSP refusals a page reports while the test drives it. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) errors.push(`csp: ${msg.text()}`);
  });
  return errors;
}
