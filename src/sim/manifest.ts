/**
 * Freighter manifests, generated line by line from a seed: the same seed and flight give the same lines.
 * A Boeing 747-400F of e-commerce carries about 100 t, some 250,000 parcels in 30–40 ULDs; consignees in
 * every EU member state by population, with postcodes of their country's format; sellers with their
 * addresses (one address per seller and seed, as H7 declarations need them); S10 tracking numbers and
 * AWBs with valid check digits; and a few percent of deliberately bad lines (`defect` says which and
 * why), so that intake's error reporting shows. Lines are yielded one at a time, never held in an array.
 */
import { formatAwb, formatS10, normalisePostcode, parseUld, postcodeExample } from '../domain/index.js';
import type { ManifestItem, ManifestLine } from '../hub/intake/index.js';
import { CURRENCIES, PRODUCTS, Sellers, type Airline } from './goods.js';
import { EU_DESTINATIONS, person } from './people.js';
import { hashSeed, Prng, Weighted } from './prng.js';

export interface FlightSpec {
  readonly airline: Airline;
  /** `CK231`. */
  readonly flight: string;
  /** `YYYY-MM-DD`. */
  readonly flightDate: string;
  readonly parcels: number;
  readonly seed: number;
  /** Share of deliberately bad lines (default 0.03). */
  readonly badRate?: number;
}

/** Each kind of bad line, and the field intake must name in its refusal. */
export const DEFECTS = {
  'tracking-check-digit': 'trackingNumber',
  'awb-check-digit': 'awb',
  'missing-postcode': 'consignee.postcode',
  'unknown-country': 'consignee.country',
  'negative-value': 'items.0.value',
} as const;
export type Defect = keyof typeof DEFECTS;
const DEFECT_KINDS = Object.keys(DEFECTS) as Defect[];

export interface SimLine {
  readonly line: ManifestLine;
  readonly defect?: Defect;
}

/** Parcels per ULD: ~7,000 puts a 250,000-parcel freighter in 36 ULDs. */
const PARCELS_PER_ULD = 7_000;
const MAX_ULDS = 40;
/** Parcels per air waybill (a marketplace's consolidation). */
const PARCELS_PER_AWB = 200;
const SERVICE_INDICATORS = ['LP', 'LX', 'UA', 'UB', 'RB', 'CP', 'LT', 'UZ'];
const ULD_TYPES = new Weighted<string>([['PMC', 3], ['AKE', 2], ['PAG', 1]]);

export function uldCount(parcels: number): number {
  return Math.max(1, Math.min(MAX_ULDS, Math.ceil(parcels / PARCELS_PER_ULD)));
}

/** The ULD identifiers of a flight (deterministic, distinct). */
export function flightUlds(spec: FlightSpec): string[] {
  const rng = new Prng(hashSeed(spec.seed, spec.flight, spec.flightDate, 'ulds'));
  const ulds = new Set<string>();
  while (ulds.size < uldCount(spec.parcels)) {
    const id = `${ULD_TYPES.draw(rng)}${rng.digits(5)}${spec.airline.code}`;
    if (parseUld(id).ok) ulds.add(id);
  }
  return [...ulds];
}

/** A postcode of `country`'s format: its example with the digits drawn anew, checked by the domain's parser. */
export function postcodeFor(rng: Prng, country: string): string {
  const example = postcodeExample(country) ?? '1000';
  for (let attempt = 0; attempt < 8; attempt++) {
    const candidate = example.replace(/\d/g, () => String(rng.int(0, 9)));
    const parsed = normalisePostcode(country, candidate);
    if (parsed.ok) return parsed.value;
  }
  return example;
}

function money(usd: number, rng: Prng): { value: string; currency: string } {
  const [currency, rate] = CURRENCIES.draw(rng);
  return { value: (Math.max(0.5, usd) * rate).toFixed(2), currency };
}

function items(rng: Prng, origin: string): ManifestItem[] {
  const count = rng.chance(0.75) ? 1 : rng.chance(0.7) ? 2 : 3;
  const expensive = rng.chance(0.05); // over EUR 150: H1, not H7
  return Array.from({ length: count }, (): ManifestItem => {
    const product = PRODUCTS.draw(rng);
    const usd = product.minUsd + (product.maxUsd - product.minUsd) * rng.next() ** 2;
    return {
      description: product.description,
      hsCode: product.hsCode,
      quantity: rng.chance(0.8) ? 1 : rng.int(2, 3),
      ...money(expensive ? Math.max(usd, 1) * rng.int(4, 10) + 150 : usd, rng),
      originCountry: origin === 'HK' ? 'CN' : origin,
    };
  });
}

/** The flight's lines, with the defect of each bad one. */
export function* simulateLines(spec: FlightSpec): Generator<SimLine> {
  const rng = new Prng(hashSeed(spec.seed, spec.flight, spec.flightDate));
  const ulds = flightUlds(spec);
  const badRate = spec.badRate ?? 0.03;
  const indicator = rng.pick(SERVICE_INDICATORS);
  const serialBase = rng.int(0, 99_999_999 - spec.parcels);
  const awbBase = rng.int(0, 9_999_999 - Math.ceil(spec.parcels / PARCELS_PER_AWB));
  const sellers = new Sellers(spec.seed);
  for (let i = 0; i < spec.parcels; i++) {
    const from = sellers.draw(rng);
    const country = EU_DESTINATIONS.draw(rng);
    const who = person(rng, country);
    const line: ManifestLine = {
      flight: spec.flight,
      flightDate: spec.flightDate,
      awb: formatAwb(spec.airline.awbPrefix, String(awbBase + Math.floor(i / PARCELS_PER_AWB)).padStart(7, '0')),
      uld: ulds[Math.floor((i * ulds.length) / spec.parcels)]!,
      trackingNumber: formatS10({ serviceIndicator: indicator, serial: String(serialBase + i).padStart(8, '0'), country: from.country }),
      seller: from,
      consignee: { name: who.name, street: who.street, postcode: postcodeFor(rng, country), city: who.city, country, ...(who.email !== undefined && { email: who.email }), ...(who.phone !== undefined && { phone: who.phone }) },
      items: items(rng, from.country),
      grossMassKg: Math.round((0.1 + 2.9 * rng.next() ** 6) * 1000) / 1000,
      ...(rng.chance(0.6) && { iossNumber: `IM${rng.pick(['276', '528', '372', '056', '442'])}${rng.digits(7)}` }),
    };
    if (rng.chance(badRate)) {
      const defect = rng.pick(DEFECT_KINDS);
      yield { line: spoil(line, defect), defect };
    } else yield { line };
  }
}

/** The line with one deliberate fault. */
function spoil(line: ManifestLine, defect: Defect): ManifestLine {
  const bumpLast = (s: string): string => s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10);
  switch (defect) {
    case 'tracking-check-digit': {
      const tn = line.trackingNumber; // AA 12345678 9 CC: the check digit is the 11th character
      return { ...line, trackingNumber: `${tn.slice(0, 10)}${(Number(tn[10]) + 1) % 10}${tn.slice(11)}` };
    }
    case 'awb-check-digit':
      return { ...line, awb: bumpLast(line.awb) };
    case 'missing-postcode': {
      const consignee: Partial<ManifestLine['consignee']> = { ...line.consignee };
      delete consignee.postcode;
      return { ...line, consignee: consignee as ManifestLine['consignee'] };
    }
    case 'unknown-country':
      return { ...line, consignee: { ...line.consignee, country: 'XZ' } };
    case 'negative-value':
      return { ...line, items: line.items.map((it, k) => (k === 0 ? { ...it, value: `-${it.value}` } : it)) };
  }
}

/** NDJSON lines of the flight, as a stream: what `importManifest` reads. */
export async function* manifestLines(spec: FlightSpec): AsyncGenerator<string> {
  let n = 0;
  for (const { line } of simulateLines(spec)) {
    yield JSON.stringify(line);
    // Let timers and I/O (progress bars, the writer of the previous chunk) run now and then.
    if (++n % 1000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
