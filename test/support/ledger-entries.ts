import { ENTRY_BUNDLE_LEVEL, TILE_WIDTH, decodeEntryBundle, type TransparencyLog } from '../../src/ledger/index.js';

/** The entries of `log` from `from` up to its committed size, parsed as JSON (auth tests read what they wrote). */
export async function entriesSince(log: TransparencyLog, from: number): Promise<Record<string, unknown>[]> {
  const size = await log.committedSize();
  const out: Record<string, unknown>[] = [];
  for (let tile = Math.floor(from / TILE_WIDTH); tile * TILE_WIDTH < size; tile++) {
    const width = Math.min(TILE_WIDTH, size - tile * TILE_WIDTH);
    const bundle = await log.readTile(ENTRY_BUNDLE_LEVEL, tile, width);
    if (!bundle) throw new Error(`no entry bundle ${tile} of width ${width}`);
    decodeEntryBundle(bundle, width).forEach((e, i) => {
      if (tile * TILE_WIDTH + i >= from) out.push(JSON.parse(Buffer.from(e).toString('utf8')) as Record<string, unknown>);
    });
  }
  return out;
}
