/**
 * `domain/`: pure types and rules of the hub (identifiers, countries, postcodes, tariff codes, money).
 * No I/O, and no import of anything outside this folder.
 */
export { fail, ok, ParseError, unwrap, type Failed, type Ok, type Parsed } from './parsed.js';

export { formatS10, parseS10, parseS10OrThrow, s10CheckDigit, type S10, type S10Parts } from './s10.js';
export { awbCheckDigit, formatAwb, parseAwb, parseAwbOrThrow, type Awb } from './awb.js';
export {
  makeSscc,
  parseSscc,
  parseSsccOrThrow,
  ssccCheckDigit,
  ssccToDigitalLink,
  ssccToElementString,
  ssccToEpcUrn,
  type Sscc,
} from './sscc.js';
export {
  formatUld,
  parseUld,
  parseUldOrThrow,
  ULD_BASE_SIZES,
  ULD_CATEGORIES,
  ULD_TYPES,
  uldKind,
  type Uld,
  type UldKind,
  type UldParts,
  type UldType,
} from './uld.js';

export {
  COUNTRY_CODES,
  COUNTRY_NAMES,
  countryName,
  EEA_STATES,
  EU_MEMBER_STATES,
  isCountryCode,
  isEea,
  isEu,
  parseCountry,
  parseCountryOrThrow,
} from './country.js';
export {
  normalisePostcode,
  normalisePostcodeOrThrow,
  POSTCODE_COUNTRIES,
  postcodeExample,
  postcodePrefix,
} from './postcode.js';
export {
  formatHs6,
  hs6,
  HS_CHAPTERS,
  isHsChapter,
  parseHs6,
  parseHsCode,
  parseHsCodeOrThrow,
  type HsCode,
} from './hs.js';

export {
  CURRENCY_CODES,
  CURRENCY_MINOR_UNITS,
  currencyMinorUnits,
  isCurrencyCode,
  parseCurrency,
  parseCurrencyOrThrow,
} from './currency.js';
export {
  addMoney,
  allocateMoney,
  compareMoney,
  convertMoney,
  convertMoneyByInverseRate,
  formatMoney,
  money,
  multiplyMoney,
  parseMoney,
  parseMoneyOrThrow,
  subtractMoney,
  sumMoney,
  type Money,
} from './money.js';
export { divRoundHalfEven } from './decimal.js';

// Written by the ledger/CLI side of the team; re-exported because `cli/` imports it from here.
export { canonicalJson, encodeLedgerEntry, parseLedgerEntry, type LedgerEntry } from './ledger-entry.js';
export { normalisePartyName } from './party-name.js';
export { sortedDistinct } from './sorted.js';
export { isCalendarDate } from './calendar-date.js';
