/**
 * GS1 Core Business Vocabulary (CBV) 2.0 values used by EPCIS 2.0 events, as the bare words of the
 * JSON-LD binding (`"bizStep": "shipping"`). Each list was checked against the enums of the official
 * EPCIS 2.0 JSON Schema and the CBV JSON-LD contexts of github.com/gs1/EPCIS (`JSON-LD-Context/
 * cbv-context-*.jsonld`); `vocabulary.test.ts` re-checks them against the schema file.
 *
 * Each value also has a Web URI (`https://ref.gs1.org/cbv/BizStep-shipping`) and a legacy URN
 * (`urn:epcglobal:cbv:bizstep:shipping`, EPCIS 1.x); `cbvWebUri` and `cbvBareWord` convert.
 */

/** CBV 2.0 business steps (41). */
export const BIZ_STEPS = [
  'accepting', 'arriving', 'assembling', 'collecting', 'commissioning', 'consigning',
  'creating_class_instance', 'cycle_counting', 'decommissioning', 'departing', 'destroying',
  'disassembling', 'dispensing', 'encoding', 'entering_exiting', 'holding', 'inspecting', 'installing',
  'killing', 'loading', 'other', 'packing', 'picking', 'receiving', 'removing', 'repackaging',
  'repairing', 'replacing', 'reserving', 'retail_selling', 'sampling', 'sensor_reporting', 'shipping',
  'staging_outbound', 'stock_taking', 'stocking', 'storing', 'transporting', 'unloading', 'unpacking',
  'void_shipping',
] as const;
export type BizStep = (typeof BIZ_STEPS)[number];

/** CBV 2.0 dispositions (33). */
export const DISPOSITIONS = [
  'active', 'available', 'completeness_inferred', 'completeness_verified', 'conformant',
  'container_closed', 'container_open', 'damaged', 'destroyed', 'dispensed', 'disposed', 'encoded',
  'expired', 'in_progress', 'in_transit', 'inactive', 'mismatch_class', 'mismatch_instance',
  'mismatch_quantity', 'needs_replacement', 'no_pedigree_match', 'non_conformant', 'non_sellable_other',
  'partially_dispensed', 'recalled', 'reserved', 'retail_sold', 'returned', 'sellable_accessible',
  'sellable_not_accessible', 'stolen', 'unavailable', 'unknown',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** CBV 2.0 business transaction types (13). An air waybill is a `bol` (bill of lading). */
export const BIZ_TRANSACTION_TYPES = [
  'bol', 'cert', 'desadv', 'inv', 'pedigree', 'po', 'poc', 'prodorder', 'recadv', 'rma', 'testprd',
  'testres', 'upevt',
] as const;
export type BizTransactionType = (typeof BIZ_TRANSACTION_TYPES)[number];

/** CBV 2.0 source/destination types. */
export const SOURCE_DESTINATION_TYPES = ['owning_party', 'possessing_party', 'location'] as const;
export type SourceDestinationType = (typeof SOURCE_DESTINATION_TYPES)[number];

/** CBV 2.0 error reasons (for `errorDeclaration.reason`). */
export const ERROR_REASONS = ['did_not_occur', 'incorrect_data'] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** EPCIS 2.0 event actions. */
export const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;
export type Action = (typeof ACTIONS)[number];

/** The five event types of EPCIS 2.0 (extension event types are URIs and not listed). */
export const EVENT_TYPES = [
  'ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The Web URI namespace of CBV 2.0 values. */
export const CBV_WEB_BASE = 'https://ref.gs1.org/cbv/';

/** For each vocabulary: its values, the Web URI term prefix and the legacy URN prefix. */
const VOCABULARIES = {
  bizStep: { values: BIZ_STEPS, web: 'BizStep-', urn: 'urn:epcglobal:cbv:bizstep:' },
  disposition: { values: DISPOSITIONS, web: 'Disp-', urn: 'urn:epcglobal:cbv:disp:' },
  bizTransactionType: { values: BIZ_TRANSACTION_TYPES, web: 'BTT-', urn: 'urn:epcglobal:cbv:btt:' },
  sourceDestinationType: { values: SOURCE_DESTINATION_TYPES, web: 'SDT-', urn: 'urn:epcglobal:cbv:sdt:' },
  errorReason: { values: ERROR_REASONS, web: 'ER-', urn: 'urn:epcglobal:cbv:er:' },
} as const;
export type VocabularyKind = keyof typeof VOCABULARIES;

const SETS: { readonly [K in VocabularyKind]: ReadonlySet<string> } = {
  bizStep: new Set(BIZ_STEPS),
  disposition: new Set(DISPOSITIONS),
  bizTransactionType: new Set(BIZ_TRANSACTION_TYPES),
  sourceDestinationType: new Set(SOURCE_DESTINATION_TYPES),
  errorReason: new Set(ERROR_REASONS),
};

export function isBizStep(value: unknown): value is BizStep {
  return typeof value === 'string' && SETS.bizStep.has(value);
}
export function isDisposition(value: unknown): value is Disposition {
  return typeof value === 'string' && SETS.disposition.has(value);
}
export function isBizTransactionType(value: unknown): value is BizTransactionType {
  return typeof value === 'string' && SETS.bizTransactionType.has(value);
}
export function isSourceDestinationType(value: unknown): value is SourceDestinationType {
  return typeof value === 'string' && SETS.sourceDestinationType.has(value);
}
export function isAction(value: unknown): value is Action {
  return value === 'ADD' || value === 'OBSERVE' || value === 'DELETE';
}
export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** The CBV Web URI of a standard bare word, e.g. `cbvWebUri('bizStep', 'shipping')`. */
export function cbvWebUri(kind: VocabularyKind, bareWord: string): string {
  if (!SETS[kind].has(bareWord)) throw new RangeError(`not a CBV 2.0 ${kind} value: ${JSON.stringify(bareWord)}`);
  return CBV_WEB_BASE + VOCABULARIES[kind].web + bareWord;
}

/**
 * The bare word of a standard value written as a bare word, a CBV Web URI or a legacy URN; `undefined`
 * if it is none of them (a custom value, or a typo).
 */
export function cbvBareWord(kind: VocabularyKind, value: string): string | undefined {
  const { web, urn } = VOCABULARIES[kind];
  let word = value;
  if (value.startsWith(CBV_WEB_BASE + web)) word = value.slice(CBV_WEB_BASE.length + web.length);
  else if (value.startsWith(urn)) word = value.slice(urn.length);
  return SETS[kind].has(word) ? word : undefined;
}

/**
 * A value of a CBV-typed field in its Web URI form (CBV 2.0 event hash rules: bare words and legacy
 * URNs are expanded); custom values (URIs outside the CBV) are returned unchanged.
 */
export function cbvExpand(kind: VocabularyKind, value: string): string {
  const word = cbvBareWord(kind, value);
  return word === undefined ? value : CBV_WEB_BASE + VOCABULARIES[kind].web + word;
}
