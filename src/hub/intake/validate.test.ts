import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbManifestLine, freeText, manifestLine } from '../../../test/support/manifests.js';
import { MAX_LINE_LENGTH, validateLine, validateValue, type ManifestLine } from './index.js';

const OPTIONS = { defaultFlightDate: '2026-11-25' };
const valid = manifestLine(0);

/** `line` with the value at `path` (dotted) replaced, or removed when `value` is undefined. */
function edit(path: string, value: unknown, line: ManifestLine = valid): unknown {
  const copy = structuredClone(line) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    if (typeof next !== 'object' || next === null) return copy; // the path is gone: nothing to edit
    at = next as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

const errorsOf = (value: unknown) => {
  const r = validateValue(value, 7, OPTIONS);
  return r.ok ? [] : r.errors.map((e) => [e.field, e.reason]);
};

describe('validateValue: each field, each reason', () => {
  it.each([
    ['flight', undefined, 'is required'],
    ['flight', 231, 'must be a string'],
    ['flight', '', 'is empty'],
    ['flight', 'CKX231', 'must be an IATA flight designator: 2-character airline code, 1–4 digits, optional suffix letter (e.g. CK231)'],
    ['flight', '12345', 'airline code (first 2 characters) cannot be two digits'],
    ['flight', 'CK12345678901234567', 'must have at most 16 characters'],
    ['flightDate', '2026-02-30', 'not a calendar date written YYYY-MM-DD'],
    ['flightDate', '25/11/2026', 'not a calendar date written YYYY-MM-DD'],
    ['awb', '112-12345670', 'check digit (last digit) must equal the first 7 serial digits modulo 7'],
    ['awb', '112-1234567', 'must be 11 digits: a 3-digit airline prefix and an 8-digit serial number'],
    ['awb', '112-1234567X', 'must contain only digits, spaces and hyphens'],
    ['uld', 'AK1', 'must be 9 or 10 characters: 3-letter type, 4- or 5-digit serial, 2-character owner'],
    ['uld', 'AKE1234512', 'owner code (last 2 characters) cannot be two digits: airline designators have a letter'],
    ['trackingNumber', 'RR473124828GB', 'check digit does not match the serial number'],
    ['trackingNumber', 'RR473124829ZZ', 'country (characters 12–13) is not an assigned ISO 3166-1 alpha-2 code'],
    ['trackingNumber', '473124829', 'must be 13 characters: 2 letters, 8 digits, a check digit, 2 letters (UPU S10)'],
    ['seller', 'Shop', 'must be an object'],
    ['seller.name', undefined, 'is required'],
    ['seller.name', '   ', 'is blank'],
    ['seller.country', 'UK', "'UK' is reserved, not assigned; ISO 3166-1 uses 'GB' for the United Kingdom"],
    ['seller.email', 'a@b.example', 'unknown field'],
    ['seller.street', 'No. 8\u0000', 'contains a control character'],
    ['seller.postcode', '   ', 'is blank'],
    ['seller.postcode', '51800051800051800', 'must have at most 16 characters'],
    ['seller.city', '', 'is empty'],
    ['consignee.name', 'Jo\u0000', 'contains a control character'],
    ['consignee.street', 'Rue \ud800', 'contains an invalid character (an unpaired UTF-16 surrogate)'],
    ['consignee.city', '', 'is empty'],
    ['consignee.country', 'ZZ', 'not an assigned ISO 3166-1 alpha-2 code'],
    ['consignee.postcode', '12', 'must have the form 9999 (9 a digit), e.g. 4000'],
    ['consignee.email', 'not-an-address', 'not an e-mail address'],
    ['consignee.phone', 'call me', 'not a telephone number: digits with an optional leading "+", spaces and ( ) . / -'],
    ['consignee.phone', '+32 12', 'must have 6 to 15 digits (ITU-T E.164)'],
    ['items', [], 'must list at least 1 item(s)'],
    ['items', undefined, 'is required'],
    ['items.0.description', 'Bell\u0007', 'contains a control character'],
    ['items.0.hsCode', '7701.00', 'chapter (first 2 digits) must be 01–97; 77 is reserved'],
    ['items.0.hsCode', '85171', 'must have 6 digits (HS), or 8 (CN) or 10 (TARIC)'],
    ['items.0.quantity', 0, 'must be at least 1'],
    ['items.0.quantity', 1.5, 'must be an integer'],
    ['items.0.quantity', '2', 'must be an integer'],
    ['items.0.value', '1,50', 'must be a decimal number written with digits and an optional "." (e.g. 12.50)'],
    ['items.0.value', '1.505', 'can have at most 2 decimals'],
    ['items.0.currency', 'EURO', 'must be 3 capital letters (ISO 4217)'],
    ['items.0.currency', 'XYZ', 'not an active ISO 4217 currency code'],
    ['items.0.originCountry', 'EL', "'EL' is the EU's code for Greece (VAT, Eurostat); ISO 3166-1 uses 'GR'"],
    ['grossMassKg', 0, 'must be more than 0'],
    ['grossMassKg', 1000.5, 'must be at most 1000'],
    ['grossMassKg', 0.0005, 'must be given to the gram at most (3 decimals)'],
    ['grossMassKg', '1.2', 'must be a number'],
    ['iossNumber', 'IM12345', 'must be "IM" followed by 10 digits'],
    ['colour', 'red', 'unknown field'],
  ])('%s = %j → %s', (field, value, reason) => {
    expect(errorsOf(edit(field, value))).toEqual([[field, reason]]);
  });

  it('checks a postcode against its own country', () => {
    const be = edit('consignee', { ...valid.consignee, country: 'BE', postcode: '1000' });
    expect(errorsOf(be)).toEqual([]);
    const nl = edit('consignee', { ...valid.consignee, country: 'NL', postcode: '1000' });
    expect(errorsOf(nl)).toEqual([['consignee.postcode', 'must have the form 9999 AA (9 a digit, A a letter), e.g. 2490 AA']]);
  });

  it("takes a seller's address as free text, its postcode not checked against the seller's country", () => {
    const seller = (postcode: string, country: string) => edit('seller', { name: 'Shop', street: ' No. 8 Renmin Road ', postcode, city: 'Shenzhen', country });
    expect(validateValue(seller(' 518000 ', 'CN'), 1, OPTIONS)).toMatchObject({ ok: true, parcel: { seller: { street: 'No. 8 Renmin Road', postcode: '518000', city: 'Shenzhen', country: 'CN' } } });
    // Not a Dutch postcode, and not one for the sorter: kept as written.
    expect(validateValue(seller('1000', 'NL'), 1, OPTIONS)).toMatchObject({ ok: true, parcel: { seller: { postcode: '1000', country: 'NL' } } });
  });

  it('checks a value against its own currency', () => {
    expect(errorsOf(edit('items.0', { ...valid.items[0], currency: 'JPY', value: '1200' }))).toEqual([]);
    expect(errorsOf(edit('items.0', { ...valid.items[0], currency: 'JPY', value: '12.5' }))).toEqual([['items.0.value', 'cannot have decimals in this currency']]);
  });

  it('lists every error of a line, at most once per field', () => {
    const bad = edit('awb', '1', edit('trackingNumber', 5, edit('consignee.email', 'x') as ManifestLine) as ManifestLine);
    expect(errorsOf(bad)).toEqual([
      ['trackingNumber', 'must be a string'],
      ['consignee.email', 'not an e-mail address'],
      ['awb', 'must be 11 digits: a 3-digit airline prefix and an 8-digit serial number'],
    ]);
  });

  it('refuses a line that is not a JSON object, and does not read a line that is too long', () => {
    expect(validateLine('{"flight":', 3, OPTIONS)).toEqual({ ok: false, errors: [{ line: 3, field: '(line)', reason: 'not valid JSON' }] });
    expect(validateLine('[1]', 3, OPTIONS)).toEqual({ ok: false, errors: [{ line: 3, field: '(line)', reason: 'must be an object' }] });
    const long = validateLine(' '.repeat(MAX_LINE_LENGTH + 1), 4, OPTIONS);
    expect(long).toEqual({ ok: false, errors: [{ line: 4, field: '(line)', reason: `longer than ${MAX_LINE_LENGTH} characters` }] });
  });

  it('never names an unknown key that could be data', () => {
    expect(errorsOf({ ...valid, 'jane.doe@example.org': 1 })).toEqual([['(line)', 'has an unknown field (its name is not shown)']]);
  });
});

describe('validateValue: what an accepted line becomes', () => {
  it('puts identifiers and codes in canonical form and trims free text', () => {
    const line: Partial<ManifestLine> = manifestLine(0, {
      flight: 'ck 0231',
      awb: '112 1234 5675',
      uld: 'ake-12345-ck',
      trackingNumber: 'rr 473 124 829 gb',
      seller: { name: '  Shop  ', country: 'cn' },
      consignee: { ...valid.consignee, country: 'nl', postcode: '2490aa', name: ' Jan ' },
      items: [{ description: 'Case', hsCode: '8517.12.00', quantity: 1, value: '3.5', currency: 'eur', originCountry: 'cn' }],
      grossMassKg: 1.234,
    });
    delete line.flightDate;
    const r = validateValue(line, 9, OPTIONS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.parcel).toMatchObject({
      line: 9,
      flightNumber: 'CK231',
      flightDate: '2026-11-25',
      flightId: 'CK231/2026-11-25',
      awb: '112-12345675',
      uld: 'AKE12345CK',
      trackingNumber: 'RR473124829GB',
      seller: { name: 'Shop', country: 'CN' },
      consignee: { name: 'Jan', country: 'NL', postcode: '2490 AA' },
      items: [{ description: 'Case', hsCode: '85171200', quantity: 1, unitValue: '3.50', currency: 'EUR', originCountry: 'CN' }],
      grossMassG: 1234,
      iossNumber: 'IM2500001234',
    });
  });
});

describe('validate: properties', () => {
  it('accepts every valid generated line, and keeps what it was given', () => {
    fc.assert(
      fc.property(arbManifestLine, (line) => {
        const r = validateLine(JSON.stringify(line), 1, OPTIONS);
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        expect(r.parcel.trackingNumber).toBe(line.trackingNumber);
        expect(r.parcel.items).toHaveLength(line.items.length);
        expect(r.parcel.consignee.name).toBe(line.consignee.name.trim());
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever the line', () => {
    const mutated = fc.tuple(arbManifestLine, fc.array(fc.tuple(fc.constantFrom('flight', 'awb', 'items', 'consignee', 'seller', 'grossMassKg', 'items.0', 'consignee.name', 'items.0.value'), fc.anything())));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutated.map(([l, edits]) => JSON.stringify(edits.reduce((acc, [p, v]) => edit(p, v ?? null, acc as ManifestLine), l as unknown)))), (text) => {
        const r = validateLine(text, 1, OPTIONS);
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('never echoes personal data in a reason, valid or not', () => {
    const fields = ['consignee.name', 'consignee.street', 'consignee.city', 'consignee.email', 'consignee.phone', 'seller.name', 'seller.street', 'seller.postcode', 'seller.city'];
    fc.assert(
      fc.property(fc.constantFrom(...fields), freeText, fc.stringMatching(/^[0-9a-f]{8}$/), (field, text, tag) => {
        const secret = `PD${tag}${text}`;
        const r = validateValue(edit(field, secret), 1, OPTIONS);
        if (!r.ok) for (const e of r.errors) expect(`${e.field} ${e.reason}`).not.toContain(`PD${tag}`);
      }),
      { numRuns: 500 },
    );
  });
});
