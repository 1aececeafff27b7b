/**
 * The H7 export of a flight that came in through intake (not sealed by hand): the seller's address travels
 * in the manifest, is sealed with the seller's record, and reaches the declaration through the gate. A line
 * without it is not declared, as before; a parcel that cannot be declared for a reason that is not personal
 * data has neither party read.
 */
import { describe, expect, it } from 'vitest';
import { clearFlight, exportFlightH7 } from '../../src/customs/index.js';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { importManifest, type ManifestLine } from '../../src/hub/intake/index.js';
import { gatedStoreEachTest } from '../support/gate.js';
import { asAsync, manifestLine } from '../support/manifests.js';
import { STORE_KINDS } from '../support/stores.js';

const FLIGHT = 'CK231/2026-11-25';
const officer = { id: 'officer-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
const seller = { name: 'Shenzhen Huaqiang Trading Co., Ltd.', street: 'No. 8 Renmin Road', postcode: '518000', city: 'Shenzhen', country: 'CN' };
const buyer = { name: 'Ana Buyer', street: 'Rue Haute 1', postcode: '4000', city: 'Liège', country: 'BE' };
const caseItem = { description: 'Phone case', hsCode: '3926.90', quantity: 1, value: '3.50', currency: 'EUR', originCountry: 'CN' };
const line = (i: number, over: Partial<ManifestLine>): ManifestLine => manifestLine(i, { consignee: buyer, items: [caseItem], iossNumber: 'IM2500001234', ...over });

describe.each(STORE_KINDS)('the H7 export of an imported manifest on %s', (kind) => {
  const t = gatedStoreEachTest(kind);
  /** The lines imported through intake, the flight cleared, then exported. */
  const importClearExport = async (lines: readonly ManifestLine[]) => {
    const summary = await importManifest({ db: t.store.db, dialect: t.store.dialect, sealer: t.gate }, asAsync(lines.map((l) => JSON.stringify(l))), 'ndjson');
    expect(summary).toMatchObject({ accepted: lines.length, rejected: 0 });
    await clearFlight(t.store.db, t.gate, FLIGHT, { principal: officer, declarant: 'BE0123456789' });
    const size = t.log.size;
    return { size, h7: await exportFlightH7(t.store.db, t.gate, FLIGHT, { principal: officer, declarant: 'BE0123456789' }) };
  };

  it("declares parcels whose seller's address came with the manifest, and reads no party it cannot declare", async () => {
    const declared = line(1, { seller });
    const noAddress = line(2, { seller: { name: seller.name, country: 'CN' }, consignee: { ...buyer, name: 'Bo Buyer' } });
    const vague = line(3, { seller, consignee: { ...buyer, name: 'Cy Buyer' }, items: [{ ...caseItem, description: 'gift' }] });
    const { h7: r } = await importClearExport([declared, noAddress, vague]);
    expect(r.declarations).toHaveLength(1);
    expect(r.declarations[0]).toMatchObject({ lrn: `GH${declared.trackingNumber}`, seller, buyer, additionalProcedure: ['C07', 'F48'] });
    expect(r.errors).toEqual([
      { trackingNumber: noAddress.trackingNumber, missing: ['seller.street', 'seller.postcode', 'seller.city'] },
      { trackingNumber: vague.trackingNumber, missing: ['goodsItems[0].descriptionOfGoods'] },
    ]);

    // Read through the gate: the two sellers that could still be declared (with and without an address), and
    // only the buyer of the parcel declared — not the buyer of a parcel whose seller has no address, nor
    // either party of the parcel with a vague description.
    const counts = (indexes: readonly number[]) =>
      Promise.all(
        indexes.map(async (i) => {
          const e = parseLedgerEntry(await t.log.readEntry(i));
          if (!e.ok) throw new Error(e.reason);
          expect(e.value).toMatchObject({ decision: 'allow', purpose: 'customs-control', action: 'read' });
          return e.value['count'];
        }),
      );
    expect(await counts(r.receipts.sellers)).toEqual([2]);
    expect(await counts(r.receipts.consignees)).toEqual([1]);
  });

  it('reads no party at all when no parcel can be declared whatever its parties hold', async () => {
    const { size, h7: r } = await importClearExport([line(1, { seller, items: [{ ...caseItem, description: 'goods' }] })]);
    expect(r.errors).toEqual([{ trackingNumber: line(1, {}).trackingNumber, missing: ['goodsItems[0].descriptionOfGoods'] }]);
    expect(r.receipts).toEqual({ consignees: [], sellers: [] });
    expect(t.log.size).toBe(size);
  });
});
