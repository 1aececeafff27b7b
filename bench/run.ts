/** `npm run bench -- <name> [options]`: runs one benchmark and writes its section of docs/benchmarks.md. */
const BENCHES: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  ledger: () => import('./ledger.js'),
  gate: () => import('./gate.js'),
  customs: () => import('./customs.js'),
  hub: () => import('./hub.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : BENCHES[name];
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]\n`);
  process.exit(2);
}
await (await load()).run(args);
