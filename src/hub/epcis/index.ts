/**
 * `hub/epcis`: the hub's track & trace as GS1 EPCIS 2.0 JSON-LD events — validation against the
 * official schema, CBV 2.0 vocabulary, builders of the events the hub emits (with CBV event hash IDs),
 * the identifiers it uses, and the REST query filter with its reference matcher.
 */
export { EPCIS_VECTORS_URL, epcisVectorsDir, isDateTime, isUri, loadEpcisSchema, MAX_ERRORS, validateEpcisDocument, validateEpcisEvent, type SchemaError, type SchemaResult } from './schema.js';
export {
  ACTIONS,
  BIZ_STEPS,
  BIZ_TRANSACTION_TYPES,
  CBV_WEB_BASE,
  cbvBareWord,
  cbvExpand,
  cbvWebUri,
  DISPOSITIONS,
  ERROR_REASONS,
  EVENT_TYPES,
  isAction,
  isBizStep,
  isBizTransactionType,
  isDisposition,
  isEventType,
  isSourceDestinationType,
  SOURCE_DESTINATION_TYPES,
  type Action,
  type BizStep,
  type BizTransactionType,
  type Disposition,
  type ErrorReason,
  type EventType,
  type SourceDestinationType,
  type VocabularyKind,
} from './vocabulary.js';
export { awbUri, canonicalId, canonicalIdOrSelf, GS1_DL_BASE, glnLocation, HUB_ID_BASE, IdentifierError, s10Epc, ssccEpc, uldEpc } from './ids.js';
export { canonicalTime, EVENT_HASH_VERSION, EventHashError, eventHashId, eventPreHash, type Prefixes } from './hash.js';
export { CUSTOMS_DECISIONS, EpcisInputError, type CustomsDecision } from './check.js';
export {
  aggregationEvent,
  EPCIS_CONTEXT_URL,
  epcisDocument,
  GLASSHUB_NAMESPACE,
  HUB_PREFIXES,
  objectEvent,
  type AggregationEvent,
  type AggregationEventInput,
  type BizTransaction,
  type Destination,
  type EpcisDocument,
  type ExtensionFields,
  type ExtensionValue,
  type HubEvent,
  type HubExtensions,
  type ObjectEvent,
  type ObjectEventInput,
  type Source,
} from './events.js';
export {
  DEFAULT_PER_PAGE,
  filterToQuery,
  matchesFilter,
  MAX_PER_PAGE,
  parseEventQuery,
  type EpcPattern,
  type EventFilter,
  type ParsedQuery,
  type QueryInput,
  type QueryParameterError,
} from './query.js';
