import type { ColumnType, Generated } from 'kysely';

/**
 * The tables of one glasshub database, the same on SQLite and PostgreSQL.
 * Integers that can grow past 2^31 are BIGINT on PostgreSQL and come back as JS numbers (sizes stay < 2^53).
 * Timestamps are ISO-8601 UTC text so that both stores sort and compare them alike.
 */
export interface Database {
  log_state: LogStateTable;
  log_tiles: LogTileTable;
  log_entry_bundles: LogEntryBundleTable;
  log_checkpoints: LogCheckpointTable;
  witness_logs: WitnessLogTable;
  flights: FlightTable;
  awbs: AwbTable;
  ulds: UldTable;
  parcels: ParcelTable;
  parcel_items: ParcelItemTable;
  sort_plans: SortPlanTable;
  lanes: LaneTable;
  bags: BagTable;
  trucks: TruckTable;
  storage_locations: StorageLocationTable;
  epcis_events: EpcisEventTable;
  epcis_event_epcs: EpcisEventEpcTable;
  hub_counters: HubCounterTable;
  hub_exceptions: HubExceptionTable;
  dispatch_disclosures: DispatchDisclosureTable;
  vault_subjects: VaultSubjectTable;
  vault_records: VaultRecordTable;
  principals: PrincipalTable;
  api_tokens: ApiTokenTable;
  gate_access_index: GateAccessIndexTable;
  gate_policies: GatePolicyTable;
  gate_screenings: GateScreeningTable;
  customs_rules: CustomsRulesTable;
  customs_clearances: CustomsClearanceTable;
  customs_decisions: CustomsDecisionTable;
  authority_requests: AuthorityRequestTable;
  breaches: BreachTable;
  subject_access_requests: SubjectAccessRequestTable;
  sessions: SessionTable;
}

export interface LogStateTable {
  log: string;
  size: number;
  root_hash: Buffer;
  updated_at: string;
}

/** One row per hash tile (C2SP tlog-tiles); a partial tile is replaced by a wider one until it is full. */
export interface LogTileTable {
  log: string;
  level: number;
  idx: number;
  width: number;
  data: Buffer;
  /** A full tile's interior (migration 017); null for partial tiles and older ones. */
  interior: Buffer | null;
}

/** One row per entry bundle; the same growth rule as hash tiles. */
export interface LogEntryBundleTable {
  log: string;
  idx: number;
  width: number;
  data: Buffer;
}

/** Every checkpoint the log signed, kept so that each can be proven consistent with the next. */
export interface LogCheckpointTable {
  log: string;
  size: number;
  note: Buffer;
  cosigned_note: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  created_at: string;
}

/** A witness's memory: the newest checkpoint it cosigned per log origin. */
export interface WitnessLogTable {
  origin: string;
  size: number;
  root_hash: Buffer;
  /** The cosigned checkpoint note (log signature and this witness's cosignature); null in rows from before 002. */
  note: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  updated_at: string;
}

// ——— The hub (migration 003). No column here holds a name, street, e-mail or phone. ———

export type FlightStatus = 'expected' | 'arrived' | 'broken-down';
export interface FlightTable {
  id: string;
  flight_number: string;
  flight_date: string;
  status: FlightStatus;
  arrived_at: string | null;
  created_at: string;
}

export interface AwbTable {
  awb: string;
  flight_id: string;
  created_at: string;
}

export type UldStatus = 'expected' | 'received';
export interface UldTable {
  flight_id: string;
  uld: string;
  status: UldStatus;
  received_at: string | null;
  created_at: string;
}

export type ParcelStatus =
  | 'manifested'
  | 'received'
  | 'sorted'
  | 'held'
  | 'stored'
  | 'exception'
  | 'bagged'
  | 'loaded'
  | 'dispatched'
  | 'seized';
export interface ParcelTable {
  tracking_number: string;
  flight_id: string;
  awb: string;
  uld: string | null;
  seller_country: string;
  dest_country: string;
  dest_postcode: string;
  gross_mass_g: number;
  ioss_number: string | null;
  item_count: number;
  /**
   * Opaque references to vault records (a person's data as this parcel carries it, encrypted under that
   * person's key): the only link from a parcel to a person, and only the gate can follow it.
   */
  consignee_ref: string;
  seller_ref: string | null;
  status: ParcelStatus;
  lane: string | null;
  bag: string | null;
  storage_location: string | null;
  received_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ParcelItemTable {
  tracking_number: string;
  line_no: number;
  description: string;
  hs_code: string;
  quantity: number;
  /** Unit value as an exact decimal string in `currency`. */
  unit_value: string;
  currency: string;
  origin_country: string;
}

export interface SortPlanTable {
  version: number;
  rules: string;
  comment: string | null;
  created_by: string;
  created_at: string;
}

export type LaneKind = 'outbound' | 'hold' | 'exceptions';
export interface LaneTable {
  id: string;
  kind: LaneKind;
  carrier: string | null;
  service: string | null;
  departure: string | null;
  created_at: string;
}

export type BagStatus = 'open' | 'closed' | 'loaded' | 'dispatched';
export interface BagTable {
  sscc: string;
  lane: string;
  status: BagStatus;
  truck: string | null;
  parcel_count: number;
  created_at: string;
  closed_at: string | null;
}

export type TruckStatus = 'loading' | 'dispatched';
export interface TruckTable {
  id: string;
  lane: string;
  carrier: string;
  status: TruckStatus;
  departure_at: string | null;
  dispatched_at: string | null;
  created_at: string;
}

export interface StorageLocationTable {
  id: string;
  description: string;
  created_at: string;
}

export interface EpcisEventTable {
  /** Capture order (SQLite rowid; a sequence on PostgreSQL, migration 005). */
  seq: Generated<number>;
  event_id: string;
  event_type: string;
  event_time: string;
  record_time: string;
  biz_step: string | null;
  biz_location: string | null;
  action: string | null;
  document: string;
}

export interface EpcisEventEpcTable {
  /** Migration 013: `seq` / 65,536, the first column of the key (see hub/events/periods.ts). */
  period: number;
  epc: string;
  seq: number;
  /**
   * Migration 005: 'epc' (canonical form of an epcList or childEPCs member), 'epc-raw' (its spelling as
   * captured, when different), 'parent' (parentID), 'input' or 'output' (see hub/events/rows.ts).
   */
  role: ColumnType<string, string | undefined, string>;
}

// ——— Hub operations (migration 005). No personal data here either. ———

export interface HubCounterTable {
  name: string;
  value: number;
}

export type HubExceptionKind = 'over-carried' | 'unknown-parcel';
export interface HubExceptionTable {
  event_id: string;
  kind: HubExceptionKind;
  flight_id: string | null;
  tracking_number: string;
  location: string;
  scanner: string | null;
  scanned_at: string;
}

/** One row per disclosure of a truck's manifest to its carrier: n = 1 at dispatch, then each re-issue. */
export interface DispatchDisclosureTable {
  truck_id: string;
  n: number;
  principal: string;
  requested_by: string;
  reason: string | null;
  parcel_count: number;
  created_at: string;
}

// ——— The vault (migration 006): only src/vault/ touches these tables. ———

export interface VaultSubjectTable {
  id: string;
  role: string;
  /** HMAC of the person's normalised identity under the index key; null once shredded. */
  blind_index: Buffer | null;
  /** The person's data key, wrapped by master key `master_key_id`; null once shredded. */
  wrapped_key: Buffer | null;
  master_key_id: string | null;
  created_at: string;
  shredded_at: string | null;
}

export interface VaultRecordTable {
  id: string;
  subject_id: string;
  content_index: Buffer;
  /** AES-256-GCM under the subject's data key: nonce || ciphertext || tag. */
  ciphertext: Buffer;
  /** Migration 014: keyed HMAC of the name's screening form (null: no name, sealed earlier, or erased). */
  name_index: Buffer | null;
  created_at: string;
}

// ——— Principals and API tokens (migration 004). `name` is an operator's label, never written to the ledger. ———

export interface PrincipalTable {
  id: string;
  name: string;
  role: string;
  organisation: string;
  country: string;
  created_at: string;
  revoked_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An API token, kept only as the SHA-256 of the token string. */
export interface ApiTokenTable {
  token_hash: Buffer;
  principal_id: string;
  created_at: string;
  expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  revoked_at: ColumnType<string | null, string | null | undefined, string | null>;
  last_used_at: ColumnType<string | null, string | null | undefined, string | null>;
}

// ——— The gate (migration 007). ———

export interface GateAccessIndexTable {
  /** floor(ledger_index / 4096): keeps a batch's rows together (migration 011). */
  period: number;
  tag: string;
  ledger_index: number;
}

export interface GatePolicyTable {
  hash: string;
  ledger_index: number;
  text: string;
  published_at: string;
}

// ——— Privacy registers (migration 009). ———

export interface AuthorityRequestTable {
  id: string;
  received_at: string;
  authority: string;
  country: string;
  legal_instrument: string;
  agreement: string | null;
  channel: string;
  categories: string;
  subjects: number;
  description: string;
  decision: string;
  rule: string;
  registered_by: string;
  ledger_index: number;
}

export interface BreachTable {
  id: string;
  detected_at: string;
  nature: string;
  categories: string;
  approx_subjects: number;
  measures: string;
  authority_notified_at: string | null;
  registered_by: string;
  ledger_index: number;
}

export interface SubjectAccessRequestTable {
  id: string;
  record_ref: string;
  code_hash: string;
  attempts: number;
  expires_at: string;
  verified_at: string | null;
  session_hash: string | null;
  session_expires_at: string | null;
  created_at: string;
}

// ——— Customs (migration 008). No personal data: flags' evidence holds rule parameters, values, tracking numbers. ———

export interface CustomsRulesTable {
  version: number;
  /** The rules document as JSON (src/customs/rules/document.ts). */
  document: string;
  comment: string | null;
  created_by: string;
  created_at: string;
}

export interface CustomsClearanceTable {
  tracking_number: string;
  flight_id: string;
  date_of_import: string;
  procedure: string;
  destination: string;
  vat_rate: string | null;
  /** EUR decimal strings. */
  vat: string;
  vat_due: string;
  duty: string | null;
  intrinsic_eur: string;
  /** Space-separated rule names; '' when the parcel raised no flag. */
  flag_rules: string;
  /** JSON array of { rule, evidence }. */
  flags: string;
  rules_version: number;
  cleared_at: string;
}

export interface CustomsDecisionTable {
  id: string;
  tracking_number: string;
  flight_id: string;
  decision: string;
  comment: string;
  officer: string;
  event_id: string;
  decided_at: string;
}

// ——— Console sessions (migration 012): ids and tokens as SHA-256 only. ———

export interface SessionTable {
  id_hash: Buffer;
  principal_id: string;
  /** The token the session was opened with: revoking it ends the session. */
  token_hash: Buffer;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ended_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Migration 015: the scope (`flight:<id>`) and time of each screening decision of the gate. */
export interface GateScreeningTable {
  scope: string;
  ledger_index: number;
  screened_at: string;
}
