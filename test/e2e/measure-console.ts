/**
 * `npm run measure:console [-- --parcels 20000 --runs 5]`: the console's budgets, measured — the main route's
 * gzipped JavaScript, and the first render of the operations view (navigation start → flights board shown)
 * against a real `glasshub serve` with a demo day loaded, in Debian's Chromium. Writes docs/console.md.
 * Figures, not pass/fail: run it on a quiet machine.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { CHROMIUM, launch } from './browser.js';
import { lazyChunks, mainRouteChunks, MAIN_ROUTE_BUDGET_BYTES } from './budget.js';
import { ensureConsoleBuilt, startHub } from './hub.js';

const { values } = parseArgs({ options: { parcels: { type: 'string', default: '20000' }, runs: { type: 'string', default: '5' } } });
const parcels = Number(values.parcels);
const runs = Number(values.runs);
const kb = (n: number): string => (n / 1024).toFixed(1);

ensureConsoleBuilt();
const main = mainRouteChunks();
const mainGzip = main.reduce((s, c) => s + c.gzipBytes, 0);
const lazy = lazyChunks().sort((a, b) => b.gzipBytes - a.gzipBytes);

process.stderr.write(`demo day of ${parcels} parcels…\n`);
const hub = await startHub(parcels);
const browser = await launch();
const times: { render: number; fcp: number }[] = [];
try {
  const signIn = await fetch(`${hub.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: hub.tokens.supervisor }) });
  const cookie = /glasshub_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
  if (cookie === undefined) throw new Error(`sign-in failed: HTTP ${signIn.status}`);
  for (let i = 0; i <= runs; i++) {
    // A fresh context each time: nothing cached, as for the first visit of the day.
    const context = await browser.newContext({ baseURL: hub.url });
    await context.addCookies([{ name: 'glasshub_session', value: cookie, url: hub.url }]);
    // Timed inside the page (the test's polling would add its own latency): the first board row in the DOM.
    await context.addInitScript(`new MutationObserver((_, o) => {
      if (document.querySelector('section:has(h2#flights) tbody tr')) { window.__boardAt = performance.now(); o.disconnect(); }
    }).observe(document, { childList: true, subtree: true });`);
    const page = await context.newPage();
    await page.goto('/ops');
    await page.locator('section:has(h2#flights) tbody tr').first().waitFor();
    const render = await page.evaluate<number>('window.__boardAt');
    const fcp = await page.evaluate<number>("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN");
    if (i > 0) times.push({ render, fcp }); // the first run warms the server (SQLite page cache, JIT)
    await context.close();
  }
} finally {
  await browser.close();
  await hub.stop();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const renders = times.map((t) => t.render);
const chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${chromium}`;

const doc = `# The web console: budgets, measured

Written by \`npm run measure:console\` (test/e2e/measure-console.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
Machine: ${machine}. Other work may have been running: rerun on a quiet machine for final figures.

## Main route JavaScript (budget ${kb(MAIN_ROUTE_BUDGET_BYTES)} KiB gzipped)

What index.html loads before any section: **${kb(mainGzip)} KiB gzipped** (${kb(main.reduce((s, c) => s + c.bytes, 0))} KiB minified) —
React, React Router, the layout, sign-in, public tracking and the four message catalogues. Each section is its own chunk,
loaded when opened (test/e2e/console.test.ts checks the budget on every run):

| chunk | minified KiB | gzipped KiB |
| --- | ---: | ---: |
${[...main.map((c) => ({ ...c, file: `${c.file} (main)` })), ...lazy].map((c) => `| ${c.file} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} |`).join('\n')}

The largest lazy chunk is the in-browser verifier: src/ledger's own code with @noble/hashes, @noble/curves and the
\`buffer\` package standing in for node:crypto and Buffer (web/src/shims, web/src/ledger).

## First render of the operations view (budget 1 s)

\`glasshub serve\` on localhost with a demo day of ${parcels.toLocaleString('en-US')} parcels (\`glasshub demo --no-serve\`), signed in as a
supervisor, a fresh browser context per run (no cache), navigation start → the flights board's first row in the DOM
(all five panels' requests start together; the board is the first to matter):

| | median | min | max |
| --- | ---: | ---: | ---: |
| flights board shown (ms) | ${median(renders).toFixed(0)} | ${Math.min(...renders).toFixed(0)} | ${Math.max(...renders).toFixed(0)} |
| first contentful paint (ms) | ${median(times.map((t) => t.fcp)).toFixed(0)} | ${Math.min(...times.map((t) => t.fcp)).toFixed(0)} | ${Math.max(...times.map((t) => t.fcp)).toFixed(0)} |

${runs} runs after one warm-up.
`;
writeFileSync(new URL('../../docs/console.md', import.meta.url), doc);
process.stdout.write(doc);
