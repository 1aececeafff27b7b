/**
 * Builders of the EPCIS 2.0 events the hub emits, as JSON-LD objects that validate against the
 * official schema (the tests check this for generated inputs). Inputs are checked first and refused
 * with an `EpcisInputError` naming the field.
 *
 * `eventID` is the CBV 2.0 event hash ID (`ni:///sha-256;…?ver=CBV2.0`, see `hash.ts`), not a random
 * UUID: the same scan captured twice gets the same ID, so re-sent events are found by primary key.
 *
 * Hub fields (customs decision, sorter lane, ULD, …) are user extensions `glasshub:<name>`, the prefix
 * declared in the document's `@context`; the schema allows any namespaced property name on events.
 */
import {
  checkArray,
  checkExtensions,
  checkId,
  checkIdList,
  checkMember,
  checkOffset,
  checkPlace,
  checkRecord,
  checkTime,
  refuse,
  type CustomsDecision,
} from './check.js';
import { eventHashId } from './hash.js';
import {
  isAction,
  isBizStep,
  isBizTransactionType,
  isDisposition,
  isSourceDestinationType,
  type Action,
  type BizStep,
  type BizTransactionType,
  type Disposition,
  type SourceDestinationType,
} from './vocabulary.js';

export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
export const GLASSHUB_NAMESPACE = 'https://glasshub.dev/epcis/';
/** The JSON-LD prefixes of hub documents, as the event hash needs them. */
export const HUB_PREFIXES: Readonly<Record<string, string>> = { glasshub: GLASSHUB_NAMESPACE };

export type ExtensionValue = string | readonly string[];
export type ExtensionFields = { readonly [key: `glasshub:${string}`]: ExtensionValue };

/** Hub extension fields by local name; written as `glasshub:<name>`. */
export interface HubExtensions {
  readonly customsDecision?: CustomsDecision;
  /** Sorter lane or chute. */
  readonly lane?: string;
  /** IATA ULD identifier the items travelled in. */
  readonly uld?: string;
  readonly [name: string]: ExtensionValue | undefined;
}

export interface BizTransaction {
  readonly type?: BizTransactionType;
  readonly bizTransaction: string;
}
export interface Source {
  readonly type: SourceDestinationType;
  readonly source: string;
}
export interface Destination {
  readonly type: SourceDestinationType;
  readonly destination: string;
}

interface CommonInput {
  readonly action: Action;
  readonly bizStep: BizStep;
  readonly disposition?: Disposition;
  readonly readPoint: string;
  readonly bizLocation?: string;
  readonly eventTime: Date;
  /** Offset of the local time where the event happened; default `+00:00`. */
  readonly eventTimeZoneOffset?: string;
  readonly bizTransactionList?: readonly BizTransaction[];
  readonly sourceList?: readonly Source[];
  readonly destinationList?: readonly Destination[];
  readonly extensions?: HubExtensions;
}
export interface ObjectEventInput extends CommonInput {
  readonly epcList: readonly string[];
  /** Instance/lot master data; only with action ADD (EPCIS 2.0 ObjectEvent; the schema forbids it otherwise). */
  readonly ilmd?: HubExtensions;
}
export interface AggregationEventInput extends CommonInput {
  readonly parentID: string;
  /** May be empty only with DELETE, which then disaggregates every child (EPCIS 2.0 AggregationEvent). */
  readonly childEPCs: readonly string[];
}

type CommonFields = ExtensionFields & {
  readonly eventID: string;
  readonly eventTime: string;
  readonly eventTimeZoneOffset: string;
  readonly action: Action;
  readonly bizStep: BizStep;
  readonly disposition?: Disposition;
  readonly readPoint: { readonly id: string };
  readonly bizLocation?: { readonly id: string };
  readonly bizTransactionList?: readonly BizTransaction[];
  readonly sourceList?: readonly Source[];
  readonly destinationList?: readonly Destination[];
};
export type ObjectEvent = CommonFields & {
  readonly type: 'ObjectEvent';
  readonly epcList: readonly string[];
  readonly ilmd?: ExtensionFields;
};
export type AggregationEvent = CommonFields & {
  readonly type: 'AggregationEvent';
  readonly parentID: string;
  readonly childEPCs: readonly string[];
};
export type HubEvent = ObjectEvent | AggregationEvent;

export interface EpcisDocument {
  readonly '@context': readonly [typeof EPCIS_CONTEXT_URL, { readonly glasshub: typeof GLASSHUB_NAMESPACE }];
  readonly type: 'EPCISDocument';
  readonly schemaVersion: '2.0';
  readonly creationDate: string;
  readonly epcisBody: { readonly eventList: readonly HubEvent[] };
}

/** An ObjectEvent: things observed, commissioned (ADD) or decommissioned (DELETE). */
export function objectEvent(input: ObjectEventInput): ObjectEvent {
  checkRecord(input, 'input');
  const epcList = checkIdList(input.epcList, 'epcList', 1);
  const common = commonFields(input);
  if (input.ilmd !== undefined && common.action !== 'ADD') refuse('ilmd', 'only allowed with action ADD (EPCIS 2.0 ObjectEvent)');
  const ilmd = input.ilmd === undefined ? undefined : checkExtensions(input.ilmd, 'ilmd');
  const { head, lists, extensions } = common;
  return withEventId({ type: 'ObjectEvent', ...head, epcList, ...rest(common), ...lists, ...(ilmd && { ilmd }), ...extensions });
}

/** An AggregationEvent: children put into (ADD), seen in (OBSERVE) or taken out of (DELETE) a parent. */
export function aggregationEvent(input: AggregationEventInput): AggregationEvent {
  checkRecord(input, 'input');
  const parentID = checkId(input.parentID, 'parentID');
  const common = commonFields(input);
  const childEPCs = checkIdList(input.childEPCs, 'childEPCs', common.action === 'DELETE' ? 0 : 1);
  if (childEPCs.includes(parentID)) refuse('childEPCs', 'a parent cannot contain itself');
  const { head, lists, extensions } = common;
  return withEventId({ type: 'AggregationEvent', ...head, parentID, childEPCs, ...rest(common), ...lists, ...extensions });
}

/** An EPCISDocument of hub events, with the standard context and the `glasshub` prefix. */
export function epcisDocument(events: readonly HubEvent[], creationDate: Date = new Date()): EpcisDocument {
  checkArray(events, 'events');
  return {
    '@context': [EPCIS_CONTEXT_URL, { glasshub: GLASSHUB_NAMESPACE }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: checkTime(creationDate, 'creationDate'),
    epcisBody: { eventList: [...events] },
  };
}

function commonFields(i: CommonInput) {
  const head = {
    eventTime: checkTime(i.eventTime, 'eventTime'),
    eventTimeZoneOffset: checkOffset(i.eventTimeZoneOffset ?? '+00:00', 'eventTimeZoneOffset'),
  };
  const action = checkMember(i.action, 'action', isAction, 'ADD, OBSERVE or DELETE');
  const bizStep = checkMember(i.bizStep, 'bizStep', isBizStep, 'a CBV 2.0 business step');
  const disposition = i.disposition === undefined ? undefined : checkMember(i.disposition, 'disposition', isDisposition, 'a CBV 2.0 disposition');
  const readPoint = checkPlace(i.readPoint, 'readPoint');
  const bizLocation = i.bizLocation === undefined ? undefined : checkPlace(i.bizLocation, 'bizLocation');
  const lists = {
    ...(i.bizTransactionList !== undefined && { bizTransactionList: bizTransactions(i.bizTransactionList) }),
    ...(i.sourceList !== undefined && {
      sourceList: parties(i.sourceList, 'sourceList', 'source').map(([type, source]): Source => ({ type, source })),
    }),
    ...(i.destinationList !== undefined && {
      destinationList: parties(i.destinationList, 'destinationList', 'destination').map(([type, destination]): Destination => ({ type, destination })),
    }),
  };
  const extensions = i.extensions === undefined ? {} : checkExtensions(i.extensions, 'extensions');
  return { head, action, bizStep, disposition, readPoint, bizLocation, lists, extensions };
}

/** The fields between the "what" and the lists, in the order of the standard's examples. */
function rest(c: ReturnType<typeof commonFields>) {
  return {
    action: c.action,
    bizStep: c.bizStep,
    ...(c.disposition !== undefined && { disposition: c.disposition }),
    readPoint: c.readPoint,
    ...(c.bizLocation !== undefined && { bizLocation: c.bizLocation }),
  };
}

function bizTransactions(value: unknown): BizTransaction[] {
  return checkArray(value, 'bizTransactionList').map((item, n) => {
    const at = `bizTransactionList[${n}]`;
    const { type, bizTransaction } = checkRecord(item, at);
    const id = checkId(bizTransaction, `${at}.bizTransaction`);
    if (type === undefined) return { bizTransaction: id };
    return { type: checkMember(type, `${at}.type`, isBizTransactionType, 'a CBV 2.0 business transaction type'), bizTransaction: id };
  });
}

/** Checked (type, identifier) pairs of a source or destination list. */
function parties(value: unknown, field: string, key: 'source' | 'destination'): [SourceDestinationType, string][] {
  return checkArray(value, field).map((item, n) => {
    const at = `${field}[${n}]`;
    const record = checkRecord(item, at);
    const type = checkMember(record.type, `${at}.type`, isSourceDestinationType, 'owning_party, possessing_party or location');
    return [type, checkId(record[key], `${at}.${key}`)];
  });
}

/** The event with its hash ID, written second (after `type`) for readers of the JSON. */
function withEventId<E extends Omit<HubEvent, 'eventID'>>(body: E): E & { readonly eventID: string } {
  return Object.assign({ type: body.type, eventID: eventHashId(body, HUB_PREFIXES) }, body);
}
