/**
 * The web console end to end: a real `glasshub serve` on a demo day, Debian's Chromium, each role's main
 * flow, the recipient flow in four languages, a 403, and axe-core on every view (no serious violations).
 * Screenshots of every view go to test-artifacts/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launch, screenshot, seriousViolations, watchErrors } from './browser.js';
import { DIST, MAIN_ROUTE_BUDGET_BYTES, mainRouteChunks } from './budget.js';
import { ensureConsoleBuilt, startHub, type RunningHub, type TestRole } from './hub.js';

// A browser on a 2-core machine shared with the rest of the suite: room for slow moments, not for hangs.
vi.setConfig({ testTimeout: 60_000 });

let hub: RunningHub;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ensureConsoleBuilt();
  [hub, browser] = await Promise.all([startHub(), launch()]);
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await hub?.stop();
});

async function newPage(locale = 'en-GB'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, baseURL: hub.url, viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: watchErrors(page) };
}

/** Signs in through the form, with the keyboard only. */
async function signIn(page: Page, role: TestRole): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('API token').focus();
  await page.keyboard.type(hub.tokens[role]);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

async function checkView(page: Page, name: string, errors: string[]): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  expect(errors, `errors on ${name}`).toEqual([]);
}

async function api<T>(role: TestRole, path: string): Promise<T> {
  const res = await fetch(hub.url + path, { headers: { authorization: `Bearer ${hub.tokens[role]}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('console: the build', () => {
  it('keeps the main route within 300 KB of gzipped JavaScript (a production build)', () => {
    const chunks = mainRouteChunks();
    const total = chunks.reduce((sum, c) => sum + c.gzipBytes, 0);
    expect(total).toBeGreaterThan(20_000); // the app itself is there
    expect(total).toBeLessThanOrEqual(MAIN_ROUTE_BUDGET_BYTES);
    // React's development build (NODE_ENV not production) is the usual way to blow the budget.
    for (const c of chunks) expect(readFileSync(join(DIST, c.file), 'utf8')).not.toContain('Download the React DevTools');
  });
});

describe('console: signing in and the role', () => {
  it('starts on public tracking, with a skip link first in the tab order', async () => {
    const { page, errors } = await newPage();
    await page.goto('/');
    await page.waitForURL('**/me');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Track a parcel');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
    await checkView(page, 'public-home', errors);
  });

  it('refuses a bad token with the server\'s reason', async () => {
    const { page, errors } = await newPage();
    await page.goto('/sign-in');
    await page.getByLabel('API token').fill('gh_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Sign-in refused: INVALID_TOKEN/);
    await checkView(page, 'sign-in-refused', errors);
  });

  it('shows a clear 403 page when a role opens another role\'s section', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'customs-officer');
    await page.goto('/audit');
    await page.waitForURL('**/forbidden?section=audit');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Access refused (403)');
    expect(await page.getByText('Your role: customs-officer. This page is for: auditor, dpo.').count()).toBe(1);
    // The navigation offers only what the role may open.
    const nav = await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Customs', 'Track a parcel', 'My data']);
    await checkView(page, 'forbidden', errors);
  });
});

describe('console: operations', () => {
  it('shows the flights board, throughput, lane fill, exceptions and dispatch to a supervisor', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'supervisor');
    expect(new URL(page.url()).pathname).toBe('/ops');
    const board = page.locator('section', { has: page.getByRole('heading', { name: 'Flights board' }) });
    await expect.poll(() => board.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await board.locator('tbody tr').first().textContent()).toMatch(/100 %/);
    await expect.poll(() => page.getByRole('figure', { name: /Throughput/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole('figure', { name: /Sort-lane fill/ }).count()).toBe(1);
    const dispatch = page.locator('section', { has: page.getByRole('heading', { name: 'Dispatch' }) });
    await expect.poll(() => dispatch.locator('tbody tr').count()).toBeGreaterThan(0);
    await checkView(page, 'ops', errors);
  });

  it('shows a scanner the board but not dispatch', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'scanner');
    await expect.poll(() => page.getByRole('heading', { name: 'Flights board' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('heading', { name: 'Exceptions' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Dispatch' }).count()).toBe(0);
    await checkView(page, 'ops-scanner', errors);
  });
});

describe('console: customs', () => {
  it('works the flagged queue: parcel through the gate with its receipt, a decision, the flight report and H7', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'customs-officer');
    expect(new URL(page.url()).pathname).toBe('/customs');
    const first = page.locator('tbody tr a[href^="/customs/parcels/"]').first();
    await first.waitFor();
    await checkView(page, 'customs-queue', errors);
    const tn = (await first.textContent()) ?? '';
    await first.click();
    await page.waitForURL(`**/customs/parcels/${tn}`);
    const receipt = page.getByTestId('receipt');
    await expect.poll(() => receipt.textContent()).toMatch(/ledger entry \d+ of the transparency log/);
    // The receipt names the very entry the server says it wrote for this read.
    const index = /ledger entry (\d+)/.exec((await receipt.textContent()) ?? '')?.[1];
    const size = Number((await (await fetch(`${hub.url}/log/checkpoint`)).text()).split('\n')[1]);
    expect(Number(index)).toBeLessThan(size);
    // …and the browser checks that entry from the public log alone, with src/ledger's code.
    await page.getByRole('button', { name: 'Check this entry in the public log' }).click();
    await expect
      .poll(() => page.getByTestId('entry-check').textContent())
      .toMatch(new RegExp(`Entry ${index} is in the log of size \\d+, checked in this browser: type access-decision, purpose customs-control, decision allow`));
    await page.getByLabel('Inspect').check();
    await page.getByLabel('Comment').fill('Declared value far below market price: open and check contents.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    const decisions = page.locator('section', { has: page.getByRole('heading', { name: 'Decisions' }) });
    await expect.poll(() => decisions.locator('tbody').textContent()).toMatch(/inspect.*Declared value far below/);
    await checkView(page, 'customs-parcel', errors);

    await page.locator('a[href^="/customs/flights/"]').first().click();
    await page.waitForURL('**/customs/flights/**');
    await expect.poll(() => page.getByRole('figure', { name: 'Flags by rule' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Export H7 declarations' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/H7 declarations exported; disclosure receipts: ledger entries \d+/);
    await checkView(page, 'customs-flight', errors);
  });
});

describe('console: audit', () => {
  it('verifies the log in the browser against the pinned key, and shows access statistics and requests', async () => {
    // The data-protection officer registers an authority's request (its decision goes to the ledger too).
    const registered = await fetch(`${hub.url}/api/v1/authority-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.tokens.dpo}`, 'content-type': 'application/json' },
      body: JSON.stringify({ authority: 'Example Agency', country: 'US', legalInstrument: 'Subpoena 12-345', channel: 'email', categories: ['consignee'], subjects: 3, description: 'Consignees of three parcels' }),
    });
    expect(registered.status).toBe(201);
    const { page, errors } = await newPage();
    await signIn(page, 'auditor');
    expect(new URL(page.url()).pathname).toBe('/audit');
    await expect.poll(() => page.getByText('Pin a log key first').count()).toBe(1);
    await page.getByLabel('Pinned log verifier key').fill(hub.vkey);
    await page.getByRole('button', { name: 'Pin keys' }).click();
    await page.getByRole('button', { name: 'Verify the whole log in this browser' }).click();
    const result = page.getByTestId('audit-result');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toMatch(/Verified: \d+ entries/);
    await expect.poll(() => page.getByRole('figure', { name: 'By purpose' }).count()).toBe(1);
    const requests = page.locator('section', { has: page.getByRole('heading', { name: 'Authority requests' }) });
    await expect.poll(() => requests.locator('table').last().locator('tbody tr').first().textContent()).toMatch(/^US[a-z-]+1$/);
    await checkView(page, 'audit', errors);
  }, 90_000);

  it('refuses a log signed by another key', async () => {
    const { page } = await newPage();
    await signIn(page, 'auditor');
    // A well-formed key of the same name but other bytes: the checkpoint's signature cannot verify.
    const [name, id] = hub.vkey.split('+');
    await page.getByLabel('Pinned log verifier key').fill(`${name}+${id}+${Buffer.alloc(33, 1).toString('base64')}`);
    await page.getByRole('button', { name: 'Pin keys' }).click();
    await page.getByRole('button', { name: 'Verify the whole log in this browser' }).click();
    await expect.poll(() => page.getByTestId('audit-result').textContent(), { timeout: 30_000 }).toMatch(/Verification failed/);
  });
});

describe('console: administration', () => {
  it('lists principals, adds one and shows its token once, and shows policy and sort plan', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'administrator');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expect.poll(() => page.getByRole('rowheader', { name: 'E2E supervisor' }).count()).toBe(1);
    await page.getByLabel('Name').fill('Desk 7');
    await page.getByLabel('Role').selectOption('customs-officer');
    await page.getByLabel('Organisation').fill('be-customs');
    await page.getByRole('button', { name: 'Add principal' }).click();
    await expect.poll(() => page.getByTestId('issued-token').textContent()).toMatch(/^gh_/);
    await expect.poll(() => page.getByRole('rowheader', { name: 'Desk 7' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('heading', { name: 'Sort plan' }).count()).toBe(1);
    await checkView(page, 'admin', errors);

    // Signing out ends the session on the server (a DELETE that needs the CSRF token), not only in the page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.goto('/admin');
    await page.waitForURL('**/sign-in?next=%2Fadmin');
  });
});

interface QueueEntry {
  readonly trackingNumber: string;
}

describe('console: recipients, in four languages', () => {
  const LANGS = [
    { locale: 'en-GB', title: 'My data', send: 'Send me a code', show: 'Show my data', verified: 'verified', erase: 'Erase my data' },
    { locale: 'fr-BE', title: 'Mes données', send: "M'envoyer un code", show: 'Afficher mes données', verified: 'vérifiée', erase: 'Effacer mes données' },
    { locale: 'nl-BE', title: 'Mijn gegevens', send: 'Stuur mij een code', show: 'Toon mijn gegevens', verified: 'gecontroleerd', erase: 'Mijn gegevens wissen' },
    { locale: 'de-DE', title: 'Meine Daten', send: 'Code zusenden', show: 'Meine Daten anzeigen', verified: 'geprüft', erase: 'Meine Daten löschen' },
  ] as const;
  let parcels: { tn: string; postcode: string }[] = [];

  beforeAll(async () => {
    // The test knows a recipient's postcode the way an officer would: through the gate (each read is logged).
    const { parcels: queue } = await api<{ parcels: QueueEntry[] }>('customs-officer', '/api/v1/customs/queue?limit=40');
    const tns = [...new Set(queue.map((q) => q.trackingNumber))].slice(-LANGS.length);
    parcels = await Promise.all(
      tns.map(async (tn) => ({ tn, postcode: (await api<{ consignee: { postcode: string } }>('customs-officer', `/api/v1/customs/parcels/${tn}`)).consignee.postcode })),
    );
    expect(parcels).toHaveLength(LANGS.length);
  });

  it.each(LANGS.map((l, i) => [l.locale, i] as const))('%s: tracking, then my data with verified proofs (and, for the last, an erasure refused while customs keeps the data)', async (_locale, i) => {
    const lang = LANGS[i]!;
    const { tn, postcode } = parcels[i]!;
    const { page, errors } = await newPage(lang.locale);
    await page.goto(`/me?tn=${tn}`);
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe(lang.locale.slice(0, 2));
    await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe(tn);
    await checkView(page, `track-${lang.locale}`, errors);

    await page.goto('/me/data');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(lang.title);
    await page.locator('#sa-tn').fill(tn);
    await page.locator('#sa-pc').fill(postcode);
    await page.getByRole('button', { name: lang.send }).click();
    await page.locator('#sa-code').waitFor();
    await page.locator('#sa-code').fill(hub.latestCode());
    await page.getByRole('button', { name: lang.show }).click();
    const summary = page.getByTestId('proof-summary');
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toMatch(/\d+ .* \d+ .*\d+/);
    expect(await page.locator('span.bad').count()).toBe(0);
    // The officer's read of this parcel is among the accesses, its proof checked in the browser.
    expect(await page.locator('span.ok', { hasText: lang.verified }).count()).toBeGreaterThan(0);
    await checkView(page, `my-data-${lang.locale}`, errors);

    if (i === LANGS.length - 1) {
      // The parcel came from the customs queue: customs law keeps its data, so the erasure is refused, and
      // the refusal, with the ledger entry that records it, is what the page shows.
      await page.locator('#erase-ok').check();
      await page.getByRole('button', { name: lang.erase }).click();
      await expect.poll(() => page.locator('#erasure ~ p[role="alert"]').textContent()).toMatch(/CUSTOMS_RETENTION: .*\d{4}-\d{2}-\d{2}.*\d+/);
      await checkView(page, `erasure-refused-${lang.locale}`, errors);
    }
  });

  it('switches language from the page and remembers it', async () => {
    const { page } = await newPage('en-GB');
    await page.goto('/me');
    await page.getByLabel('Language').selectOption('nl');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Pakket volgen');
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Pakket volgen');
  });
});
