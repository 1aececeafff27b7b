/**
 * How the hub names things in EPCIS events, and the canonical form of identifiers (CBV 2.0 event hash
 * rules 17–18: EPC URNs as GS1 Digital Link URIs on id.gs1.org, query string dropped).
 *
 * - Bags: SSCC, as the GS1 Digital Link URI `https://id.gs1.org/00/<18 digits>`, the form EPCIS 2.0
 *   prefers and the one the event hash uses anyway (the EPC URN needs the company prefix length,
 *   which the SSCC itself does not carry).
 * - Locations: GLN, as `https://id.gs1.org/414/<gln>`, with `/254/<extension>` for a sub-location
 *   (a dock door, a sorter chute): the Digital Link form of an SGLN.
 * - Postal items (UPU S10 numbers), ULDs and air waybills have no GS1 key. They are named by HTTPS URIs
 *   under the hub's own domain, `https://id.glasshub.dev/s10/RR473124829GB`, rather than by a private
 *   URN such as `urn:glasshub:s10:…`: a URN namespace must be registered with IANA (RFC 8141) and
 *   "glasshub" is not, whereas a URI under a domain the project holds is unique by DNS delegation, can
 *   resolve to the public tracking page, follows the Digital Link pattern (`/<kind>/<value>`), and is
 *   left unchanged by the CBV event hash canonicalisation (only GS1 keys are rewritten).
 */
import { parseAwb, parseS10, parseSscc, parseUld, ssccToDigitalLink } from '../../domain/index.js';

/** Base of the URIs the hub mints for things without a GS1 key. */
export const HUB_ID_BASE = 'https://id.glasshub.dev/';
/** GS1's resolver: the domain of canonical GS1 Digital Link URIs. */
export const GS1_DL_BASE = 'https://id.gs1.org/';

export class IdentifierError extends RangeError {
  override readonly name = 'IdentifierError';
}

function refuse(what: string, value: unknown, reason: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  throw new IdentifierError(`${what} ${shown}: ${reason}`);
}

/** A postal item, by its UPU S10 number (any accepted spelling; written canonically). */
export function s10Epc(tracking: string): string {
  const parsed = parseS10(tracking);
  if (!parsed.ok) refuse('S10 tracking number', tracking, parsed.reason);
  return `${HUB_ID_BASE}s10/${parsed.value.value}`;
}

/** A bag or other logistic unit, by its SSCC (18 digits, `(00)…`, EPC URN or Digital Link). */
export function ssccEpc(sscc: string): string {
  const parsed = parseSscc(sscc);
  if (!parsed.ok) refuse('SSCC', sscc, parsed.reason);
  return ssccToDigitalLink(parsed.value.value);
}

/** A unit load device, by its IATA ULD identifier (e.g. `AKE12345CK`). */
export function uldEpc(uld: string): string {
  const parsed = parseUld(uld);
  if (!parsed.ok) refuse('ULD', uld, parsed.reason);
  return `${HUB_ID_BASE}uld/${parsed.value.value}`;
}

/** An air waybill as a business transaction identifier (with type `bol`), e.g. `…/awb/112-12345675`. */
export function awbUri(awb: string): string {
  const parsed = parseAwb(awb);
  if (!parsed.ok) refuse('air waybill number', awb, parsed.reason);
  return `${HUB_ID_BASE}awb/${parsed.value.value}`;
}

/** GS1 mod-10 check digit of a string of digits (GS1 General Specifications §7.9.1). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

const GLN = /^\d{13}$/;
// AI 254 (GLN extension component): up to 20 characters of GS1 AI encodable character set 82; the
// hub restricts itself to the URI-safe letters, digits and hyphen.
const GLN_EXTENSION = /^[0-9A-Za-z-]{1,20}$/;

/** A location by its GLN, optionally with a GLN extension for a sub-location (`'0'` means none). */
export function glnLocation(gln: string, extension?: string): string {
  if (typeof gln !== 'string' || !GLN.test(gln)) refuse('GLN', gln, 'must be 13 digits');
  if (gs1CheckDigit(gln.slice(0, 12)) !== gln.charCodeAt(12) - 48) refuse('GLN', gln, 'check digit does not match (GS1 mod 10)');
  if (extension === undefined || extension === '0') return `${GS1_DL_BASE}414/${gln}`;
  if (typeof extension !== 'string' || !GLN_EXTENSION.test(extension)) {
    refuse('GLN extension', extension, 'must be 1 to 20 letters, digits or hyphens');
  }
  return `${GS1_DL_BASE}414/${gln}/254/${extension}`;
}

// EPC pure identity URIs (GS1 EPC Tag Data Standard) the hub converts to Digital Link.
/** Longest identifier the hub writes or rewrites. */
export const MAX_URI_LENGTH = 2048;

const SGLN_URN = /^urn:epc:id:sgln:(\d{6,12})\.(\d{0,6})\.([!%-?A-Z_a-z"]{1,20})$/;
const PGLN_URN = /^urn:epc:id:pgln:(\d{6,12})\.(\d{0,6})$/;
const SSCC_URN_PREFIX = 'urn:epc:id:sscc:';
const EPC_URN = /^urn:epc:(id|class|idpat):/;

/**
 * The canonical form of an identifier in an event, or `undefined` for an EPC URN of a scheme the hub
 * does not convert (SGTIN, GRAI, … : their Digital Link needs tables the hub does not carry). SSCC,
 * SGLN and PGLN URNs become Digital Link URIs; Digital Link URIs move to id.gs1.org and lose their
 * query string (their key qualifiers are kept as given); every other URI (the hub's own, `geo:`,
 * custom) is returned unchanged.
 */
export function canonicalId(uri: string): string | undefined {
  if (isCanonicalHubId(uri)) return uri;
  if (uri.startsWith('urn:epc:')) {
    if (uri.startsWith(SSCC_URN_PREFIX)) {
      const parsed = parseSscc(uri);
      return parsed.ok ? ssccToDigitalLink(parsed.value.value) : undefined;
    }
    const sgln = SGLN_URN.exec(uri);
    if (sgln !== null) {
      const gln = glnOf(sgln[1]!, sgln[2]!);
      if (gln === undefined) return undefined;
      return sgln[3] === '0' ? `${GS1_DL_BASE}414/${gln}` : `${GS1_DL_BASE}414/${gln}/254/${sgln[3]!}`;
    }
    const pgln = PGLN_URN.exec(uri);
    if (pgln !== null) {
      const gln = glnOf(pgln[1]!, pgln[2]!);
      return gln === undefined ? undefined : `${GS1_DL_BASE}417/${gln}`;
    }
    return EPC_URN.test(uri) ? undefined : uri;
  }
  if (uri.length > MAX_URI_LENGTH) return uri; // bounds the regular expression's work on hostile input
  const link = DIGITAL_LINK.exec(uri);
  return link === null ? uri : `${GS1_DL_BASE}${link[1]!}`;
}

// A GS1 Digital Link URI on any host: a primary key AI and its value (starting with a digit) as the
// first path segments after an optional path prefix. Canonical form: on id.gs1.org, no query or
// fragment (rule 18). The hub's own URIs (`/s10/…`, `/uld/…`, `/awb/…`) never match.
const DIGITAL_LINK =
  /^https?:\/\/[^/?#]+(?:\/[^?#]*?)??\/((?:00|01|253|255|401|402|414|417|8003|8004|8006|8010|8017|8018)\/\d[^?#]*)(?:[?#].*)?$/;

/**
 * The identifiers the hub mints itself, already canonical: its own S10, ULD and AWB URIs and GS1 Digital
 * Link URIs of SSCCs and GLNs (with a sub-location) on id.gs1.org. Recognised by one cheap anchored test:
 * a freighter's events name millions of them, and the general path (URI syntax, Digital Link pattern)
 * was a tenth of the hub's event-building time.
 */
const HUB_CANONICAL = /^https:\/\/id\.(?:glasshub\.dev\/(?:s10|uld|awb)\/[A-Za-z0-9-]{1,40}|gs1\.org\/(?:00\/\d{18}|414\/\d{13}(?:\/254\/[A-Za-z0-9-]{1,20})?))$/;

/** True for an identifier in one of the canonical forms the hub mints (see `HUB_CANONICAL`). */
export function isCanonicalHubId(uri: string): boolean {
  return uri.length <= 80 && HUB_CANONICAL.test(uri);
}

/** `canonicalId`, or the identifier unchanged when it cannot be converted (for matching). */
export function canonicalIdOrSelf(uri: string): string {
  return canonicalId(uri) ?? uri;
}

/** GLN from company prefix + location (or party) reference, which together have 12 digits. */
function glnOf(companyPrefix: string, reference: string): string | undefined {
  const base = companyPrefix + reference;
  return base.length === 12 ? base + String(gs1CheckDigit(base)) : undefined;
}
