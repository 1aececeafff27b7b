/**
 * Test manifests: valid lines built deterministically from an index (a freighter's worth in a loop),
 * with identifiers that pass their check digits, and helpers to write them as NDJSON or CSV.
 */
import fc from 'fast-check';
import { formatAwb, formatS10, normalisePostcode, postcodeExample, POSTCODE_COUNTRIES } from '../../src/domain/index.js';
import type { ManifestItem, ManifestLine } from '../../src/hub/intake/index.js';

const DESTINATIONS = ['BE', 'NL', 'DE', 'FR', 'IT', 'ES', 'PL', 'GB', 'IE', 'SE'] as const;

/** A valid S10 tracking number, distinct for each `i` below 10^8 (and for each `series`). */
export function trackingNumber(i: number, series = 'LP'): string {
  return formatS10({ serviceIndicator: series, serial: String(i).padStart(8, '0'), country: 'CN' });
}

/** A valid AWB; 200 parcels share one. */
export function awbNumber(i: number): string {
  return formatAwb('112', String(Math.floor(i / 200)).padStart(7, '0'));
}

/**
 * A postcode of `country` that varies with `i` (its example's digits replaced), so that a freighter's
 * worth of lines carries thousands of distinct postcodes, as a real one does.
 */
export function postcodeFor(country: string, i: number): string {
  const example = postcodeExample(country) ?? '1000';
  let n = (i * 7_919) % 100_000;
  const varied = example.replace(/\d/g, (d) => {
    const digit = String(n % 10);
    n = Math.floor(n / 10);
    return d === '0' && digit === '0' ? '1' : digit;
  });
  return normalisePostcode(country, varied).ok ? varied : example;
}

// What a marketplace's parcels look like: a few hundred products, prices and tariff codes, repeated.
const PRODUCTS = ['Phone case', 'USB cable', 'Earbuds', 'T-shirt', 'Sneakers', 'Toy robot', 'LED strip', 'Watch strap', 'Backpack', 'Mug'];
const HS_CODES = ['3926.90', '854442', '851830', '610910', '640411', '950300', '940542', '911320', '420292', '691200'];

function item(i: number, k: number): ManifestItem {
  const p = (i * 31 + k * 17) % 500;
  return {
    description: `${PRODUCTS[p % PRODUCTS.length]!} ${p % 50}`,
    hsCode: HS_CODES[p % HS_CODES.length]!,
    quantity: 1 + (p % 3),
    value: `${(p % 60) + 1}.${String((p * 7) % 100).padStart(2, '0')}`,
    currency: 'EUR',
    originCountry: 'CN',
  };
}

/** A valid manifest line (as an object), the `i`-th of a flight, with `overrides` merged on top. */
export function manifestLine(i: number, overrides: Partial<ManifestLine> = {}): ManifestLine {
  const country = DESTINATIONS[i % DESTINATIONS.length]!;
  return {
    flight: 'CK231',
    flightDate: '2026-11-25',
    awb: awbNumber(i),
    uld: `AKE${String(10000 + Math.floor(i / 2000)).padStart(5, '0')}CK`,
    trackingNumber: trackingNumber(i),
    seller: { name: `Shenzhen Trading ${i % 97}`, country: 'CN' },
    consignee: {
      name: `Person ${i}`,
      street: `${(i % 200) + 1} Example Street`,
      postcode: postcodeFor(country, i),
      city: 'Sometown',
      country,
      email: `person${i}@example.org`,
      phone: '+32 4 123 45 67',
    },
    items: i % 3 === 0 ? [item(i, 0), item(i, 1)] : [item(i, 0)],
    grossMassKg: 0.25 + (i % 10) / 100,
    ...(i % 2 === 0 ? { iossNumber: 'IM2500001234' } : {}),
    ...overrides,
  };
}

/** NDJSON text lines of parcels `from` to `to - 1`. */
export function* ndjsonLines(from: number, to: number, overrides?: (i: number) => Partial<ManifestLine>): Generator<string> {
  for (let i = from; i < to; i++) yield JSON.stringify(manifestLine(i, overrides?.(i)));
}

/** The same lines as an async iterable, as a stream reader yields them. */
export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

/** A cell of a CSV file as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Manifest lines as CSV text: a header of dotted columns (as many item groups as the largest parcel), one row each. */
export function toCsv(lines: readonly ManifestLine[], eol = '\r\n'): string {
  const columns: string[] = [];
  const rows = lines.map((line) => {
    const row = new Map<string, string>();
    const put = (prefix: string, value: unknown): void => {
      if (value === undefined) return;
      if (typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value)) put(prefix === '' ? k : `${prefix}.${k}`, v);
      } else {
        if (!columns.includes(prefix)) columns.push(prefix);
        row.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
      }
    };
    put('', line);
    return row;
  });
  const text = [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r.get(c) ?? '')).join(','))];
  return text.join(eol) + eol;
}

/** Splits text at line feeds, as a line reader does (a CR before the LF stays). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

// ——— fast-check: valid manifest lines, drawn widely ———

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const upper = (n: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: n, maxLength: n });
/** Free text a person or a shop might write: any printable characters, not blank, no control characters. */
export const freeText = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => s.trim().length > 0 && ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) < 0xa0)));
const countryWithPostcode = fc.constantFrom(...POSTCODE_COUNTRIES).map((c) => ({ country: c, postcode: postcodeExample(c) ?? '1000' }));
/** A seller's postcode: free text, as foreign sellers write it (not checked against the country's format). */
const sellerPostcode = fc.oneof(fc.constantFrom('518000', '999077', 'nw1 7ah', '90012-3456', 'SW1A 1AA'), freeText.filter((s) => s.length <= 16));
const value2 = fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99 })).map(([u, c]) => `${u}.${String(c).padStart(2, '0')}`);

export const arbItem: fc.Arbitrary<ManifestItem> = fc.record({
  description: freeText,
  hsCode: fc.constantFrom('3926.90', '851712', '8517 12 00', '6109100010', '9503.00', '420292'),
  quantity: fc.integer({ min: 1, max: 1000 }),
  value: value2,
  currency: fc.constantFrom('EUR', 'USD', 'GBP', 'CNY'),
  originCountry: fc.constantFrom('CN', 'HK', 'US', 'TR', 'VN'),
});

export const arbManifestLine: fc.Arbitrary<ManifestLine> = fc
  .record(
    {
      flight: fc.tuple(upper(2), fc.integer({ min: 1, max: 9999 })).map(([a, n]) => `${a}${n}`),
      flightDate: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      awb: fc.tuple(digits(3), digits(7)).map(([p, s]) => formatAwb(p, s)),
      uld: fc.tuple(fc.constantFrom('AKE', 'PMC', 'PAG', 'AAY'), digits(5), fc.constantFrom('CK', 'LH', 'QR')).map(([t, n, o]) => `${t}${n}${o}`),
      trackingNumber: fc.tuple(upper(2), digits(8), fc.constantFrom('CN', 'HK', 'GB', 'US')).map(([si, serial, country]) => formatS10({ serviceIndicator: si, serial, country })),
      seller: fc.record(
        { name: freeText, street: freeText, postcode: sellerPostcode, city: freeText, country: fc.constantFrom('CN', 'HK', 'US', 'GB') },
        { requiredKeys: ['name', 'country'] },
      ),
      consignee: fc
        .tuple(freeText, freeText, freeText, countryWithPostcode, fc.option(fc.emailAddress(), { nil: undefined }), fc.option(fc.constantFrom('+32 4 123 45 67', '0612345678', '+44 (20) 7946-0958'), { nil: undefined }))
        .map(([name, street, city, cp, email, phone]) => ({ name, street, city, ...cp, ...(email === undefined ? {} : { email }), ...(phone === undefined ? {} : { phone }) })),
      items: fc.array(arbItem, { minLength: 1, maxLength: 4 }),
      grossMassKg: fc.integer({ min: 1, max: 1_000_000 }).map((g) => g / 1000),
      iossNumber: fc.option(digits(10).map((d) => `IM${d}`), { nil: undefined }),
    },
    { requiredKeys: ['flight', 'awb', 'trackingNumber', 'seller', 'consignee', 'items', 'grossMassKg'] },
  )
  .map((line) => Object.fromEntries(Object.entries(line).filter(([, v]) => v !== undefined)) as ManifestLine);
