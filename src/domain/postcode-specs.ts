/**
 * Postcode formats of the EU and EEA states, Switzerland and the United Kingdom. Shapes and examples
 * follow Google's libaddressinput address metadata (the `zip` pattern and `zipex` of each country)
 * and the national operators' rules cited inline. GB has its own module (`postcode-gb.ts`).
 *
 * The canonical form is the one the national operator prints. A country prefix on input (`D-`,
 * `NL-`, `L-`, `FI-`, …: the old CEPT and current UPU "postprefix" habit) is accepted and dropped,
 * except for Latvia, where `LV-` is part of the postcode itself.
 */
import { frozenTable } from './assert.js';
import { fail, type Failed } from './parsed.js';

export interface PostcodeSpec {
  /** The significant characters: '9' a digit, 'A' a letter, 'X' a letter or a digit. */
  readonly shape: string;
  /** The canonical form puts `separator` before this index of the significant characters. */
  readonly splitAt?: number;
  readonly separator?: ' ' | '-';
  /** Written before the significant characters in the canonical form (`LV-`). */
  readonly lead?: string;
  /** Prefixes accepted before a postcode that starts with a digit, without their hyphen. */
  readonly prefixes: readonly string[];
  /** A rule beyond the shape: a refusal, or `undefined` when the postcode passes. */
  readonly check?: (significant: string) => Failed | undefined;
  /** A valid postcode in canonical form. */
  readonly example: string;
}

const LEADING_ZERO = fail('cannot start with 0');
const firstNotZero = (s: string): Failed | undefined => (s.charCodeAt(0) === 48 ? LEADING_ZERO : undefined);

const DE_00 = fail('cannot start with 00 (German postcodes run from 01001)');
const FR_00 = fail('cannot start with 00 (the first two digits are the département)');
const ES_PROVINCE = fail('first two digits must be a province, 01–52');
const LI_RANGE = fail('Liechtenstein postcodes run from 9485 to 9498');
const NL_LETTERS = fail('letters SA, SD and SS are not used in Dutch postcodes');
const IE_ROUTING = fail('Eircode routing key (first 3 characters) must be a letter and 2 digits, or D6W');
const IE_UNIQUE = fail('Eircode unique identifier (last 4 characters) uses 0–9 and A C D E F H K N P R T V W X Y');

// Eircode alphabet (Eircode address database specification): no B G I J L M O Q S U Z.
const EIRCODE_CHARS = '0123456789ACDEFHKNPRTVWXY';

function eircode(s: string): Failed | undefined {
  const routingOk =
    s.startsWith('D6W') ||
    (EIRCODE_CHARS.indexOf(s.charAt(0)) >= 10 && isDigitAt(s, 1) && isDigitAt(s, 2));
  if (!routingOk) return IE_ROUTING;
  for (let i = 3; i < 7; i++) if (!EIRCODE_CHARS.includes(s.charAt(i))) return IE_UNIQUE;
  return undefined;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function twoDigits(s: string): number {
  return (s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48);
}

/** Countries with a known format, by ISO 3166-1 alpha-2 code (GB handled in `postcode-gb.ts`). */
export const POSTCODE_SPECS: Readonly<Record<string, PostcodeSpec>> = frozenTable({
  AT: { shape: '9999', prefixes: ['AT', 'A'], check: firstNotZero, example: '1010' },
  BE: { shape: '9999', prefixes: ['BE', 'B'], check: firstNotZero, example: '4000' },
  BG: { shape: '9999', prefixes: ['BG'], check: firstNotZero, example: '1000' },
  CH: { shape: '9999', prefixes: ['CH'], check: firstNotZero, example: '8001' },
  CY: { shape: '9999', prefixes: ['CY'], check: firstNotZero, example: '2008' },
  CZ: { shape: '99999', splitAt: 3, separator: ' ', prefixes: ['CZ'], check: firstNotZero, example: '100 00' },
  DE: {
    shape: '99999', prefixes: ['DE', 'D'], example: '53225',
    check: (s) => (twoDigits(s) === 0 ? DE_00 : undefined),
  },
  DK: { shape: '9999', prefixes: ['DK'], example: '8660' },
  EE: { shape: '99999', prefixes: ['EE'], example: '69501' },
  ES: {
    shape: '99999', prefixes: ['ES', 'E'], example: '28039',
    check: (s) => (twoDigits(s) < 1 || twoDigits(s) > 52 ? ES_PROVINCE : undefined),
  },
  FI: { shape: '99999', prefixes: ['FI'], example: '00550' },
  FR: {
    shape: '99999', prefixes: ['FR', 'F'], example: '33380',
    check: (s) => (twoDigits(s) === 0 ? FR_00 : undefined),
  },
  GR: { shape: '99999', splitAt: 3, separator: ' ', prefixes: ['GR'], check: firstNotZero, example: '151 24' },
  HR: { shape: '99999', prefixes: ['HR'], check: firstNotZero, example: '10000' },
  HU: { shape: '9999', prefixes: ['HU', 'H'], check: firstNotZero, example: '1037' },
  IE: { shape: 'XXXXXXX', splitAt: 3, separator: ' ', prefixes: [], check: eircode, example: 'A65 F4E2' },
  IS: { shape: '999', prefixes: ['IS'], check: firstNotZero, example: '101' },
  IT: { shape: '99999', prefixes: ['IT', 'I'], example: '00144' },
  LI: {
    shape: '9999', prefixes: ['LI', 'FL'], example: '9490',
    check: (s) => (s < '9485' || s > '9498' ? LI_RANGE : undefined),
  },
  LT: { shape: '99999', prefixes: ['LT'], example: '04340' },
  LU: { shape: '9999', prefixes: ['LU', 'L'], check: firstNotZero, example: '2998' },
  LV: { shape: '9999', lead: 'LV-', prefixes: ['LV'], example: 'LV-1073' },
  MT: { shape: 'AAA9999', splitAt: 3, separator: ' ', prefixes: [], example: 'VLT 1117' },
  NL: {
    shape: '9999AA', splitAt: 4, separator: ' ', prefixes: ['NL'], example: '2490 AA',
    check: (s) => firstNotZero(s) ?? (s.charAt(4) === 'S' && 'ADS'.includes(s.charAt(5)) ? NL_LETTERS : undefined),
  },
  NO: { shape: '9999', prefixes: ['NO', 'N'], example: '0025' },
  PL: { shape: '99999', splitAt: 2, separator: '-', prefixes: ['PL'], example: '00-950' },
  PT: { shape: '9999999', splitAt: 4, separator: '-', prefixes: ['PT', 'P'], check: firstNotZero, example: '2725-079' },
  RO: { shape: '999999', prefixes: ['RO'], example: '060274' },
  SE: { shape: '99999', splitAt: 3, separator: ' ', prefixes: ['SE', 'S'], check: firstNotZero, example: '114 55' },
  SI: { shape: '9999', prefixes: ['SI'], check: firstNotZero, example: '1000' },
  SK: { shape: '99999', splitAt: 3, separator: ' ', prefixes: ['SK'], example: '010 01' },
});
