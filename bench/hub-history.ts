/**
 * The hub benchmark's history: the last run of each session's final code, as docs/benchmarks.md held it
 * (`git log -- docs/benchmarks.md`), with the raw SQLite rate of the same run and what that session changed.
 * Kept as a table, one row per session: the paragraphs it replaced grew with every session and hid the one
 * thing the figures show, that the ratio to the raw rate has hardly moved since session 5.
 */
const ROWS: readonly (readonly [session: string, host: string, raw: string, sqlite: string, ratio: string, plain: string, pg: string, scans: string, changed: string])[] = [
  ['1', 'AMD EPYC', '166,769', '159.8 s', '0.9 %', '—', '206.2 s', '—', 'the first end-to-end run'],
  ['2', 'Intel Xeon', '183,345', '88.4 s', '1.5 %', '57.4 s', '129.6 s', '17,036/s', 'bagging and dispatch in waves, sealing with time-ordered ids, statements in a few shapes; every scan of the run still stamped with one time, a worst case for the (eventTime, eventID) index that no sorter produces'],
  ['3', 'Intel Xeon', '251,266', '60.2 s', '1.6 %', '36.3 s', '97.3 s', '28,484/s', 'WAL checkpoints in a worker thread, not inside the writer\'s commits; the events\' identifier index keyed by period first (migration 013); the simulated sorter scans ULD by ULD; canonical hub identifiers skip the general URI checks'],
  ['4', 'AMD EPYC', '175,855', '75.5 s', '1.8 %', '49.6 s', '128.5 s', '25,355/s', 'customs reads the flight in a worker thread; a slower host type, whose speed varies more'],
  ['5', 'AMD EPYC', '146,511', '65.8 s', '2.5 %', '49.0 s', '108.6 s', '24,733/s', 'the vault\'s cryptography for large batches in a worker thread (sealing at import, opening at dispatch): 62.7 s against 75.5 s for session 4\'s code on this host type'],
  ['6', 'AMD EPYC', '171,282', '49.7 s', '2.8 %', '34.5 s', '93.0 s', '32,504/s', 'a batch\'s events check their shared values once and hash in one shot; the parcels\' (flight, status) index dropped; induction and sorting read only the columns they decide on; interleaved 100,000-parcel runs: 23.3–27.0 s against 27.2–28.8 s'],
  ['7', 'AMD EPYC', '233,743', '39.2 s', '2.6 %', '23.5 s', '71.4 s', '43,110/s', 'bags close as their lane\'s chute fills, all lanes at once, and trucks leave as they fill (interleaved bag phase 0.9–1.3 s against 2.3–2.7 s); the manifest read from a file written before the clock starts; a fast hour of the host'],
  ['8', 'AMD EPYC', '134,594', '70.7 s', '2.5 %', '44.8 s', '145.6 s', '17,040/s', 'a chunk\'s sealing prepared before the chunk ahead of it is written, so the worker\'s cryptography and the main thread\'s SQL overlap (interleaved imports 10.2–11.0 s against 10.8–11.7 s); a slow hour: the scans, whose code did not change, ran below target'],
  ['9, session 8\'s code', 'AMD EPYC', '152,032', '59.0 s', '2.7 %', '34.3 s', '101.6 s', '32,106/s', 'the same code as session 8, a faster hour'],
  ['9', 'AMD EPYC', '187,272', '46.2 s', '2.8 %', '30.6 s', '92.0 s', '33,186/s', 'the vault stores new subjects and records without reading them back, and SQLite events are numbered from the last insert rowid (interleaved imports 5.2–5.6 s against 6.2–7.0 s)'],
  ['10', 'AMD EPYC', '193,980', '45.8 s', '2.7 %', '30.2 s', '88.4 s', '33,770/s', 'no change to the hot paths (one bulk-SQL module; more bad input refused at the HTTP edge; both within noise in interleaved runs)'],
];

export const HUB_HISTORY =
  '### History\n\n' +
  'Each session\'s last run. The ratio is the SQLite run\'s parcels/s to the raw rate of the same run. The raw rate is mostly the disk\'s fsyncs and the hub mostly CPU on one core; they follow the host differently, so the ratio cannot tell changes of less than about 15 % apart. Where a change was measured, it was by interleaved runs of one size on one host, given in the last column.\n\n' +
  '| session | host | raw SQLite rows/s | SQLite | ratio to raw | without the gate | PostgreSQL | scans over HTTP | what changed |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n' +
  ROWS.map((r) => `| ${r.join(' | ')} |`).join('\n') +
  '\n\nPostgreSQL\'s peak RSS includes the SQLite runs before it in the same process: run alone in its own process it peaked at 698–1,041 MiB (session 5).';
