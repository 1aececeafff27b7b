/**
 * `hub/operations`: running the hub — breakdown of freighters (ULDs received, parcels inducted, the
 * breakdown report), versioned sort plans and the sorter's batches of scans, bagging, truck loading and
 * dispatch (keeping off the truck a parcel whose recipient's data was erased), the carrier's dispatch manifest (personal data only through `DeliveryDisclosure`, i.e. the
 * gate), temporary storage, and the public tracking view. Every step is an EPCIS 2.0 event in `hub/events`.
 */
export { checkTruckId, DEMO_HUB_CONFIG, hubConfigFromEnv, hubLocation, localOffset, pointLocation, truckEpc, type ErasedRecipients, type Hub, type HubConfig } from './config.js';
export { RECIPIENT_ERASED, type WithheldParcel } from './erased.js';
export { OperationError, type OperationErrorCode, type OperationErrorDetail } from './errors.js';
export { closeFlight, induct, receiveUld, type InductionOutcome, type InductionResult, type InductionScan, type ReceiveUldInput, type ReceiveUldResult } from './breakdown.js';
export { breakdownReport, type BreakdownReport, type OverCarried, type ShortShipped, type UldSummary } from './report.js';
export { countsAsShortShipped, type ShortShippedScope } from './short-shipped.js';
export { checkRules, compilePlan, MAX_RULES, significantPostcode, sortLane, type CompiledPlan, type Lane, type SortDecision, type SortPlanVersion, type SortReason, type SortRule, type SortableParcel } from './sort-plan.js';
export { currentSortPlan, defineLanes, listLanes, publishSortPlan, SortPlanCache, sortPlanVersion, type PublishInput } from './plans.js';
export { DEFAULT_PLAN_COUNTRIES, defaultLanes, defaultRules, EXCEPTIONS_LANE, HOLD_LANE, seedDefaultSortPlan } from './default-plan.js';
export { MAX_SCANS_PER_BATCH, sortScans, UNKNOWN_PARCEL, type Scan, type ScanReason, type ScanResult, type SortBatchResult } from './sorting.js';
export { bagParcels, closeBag, dispatchTruck, loadTruck, type BagResult } from './dispatch.js';
export { dispatchTrucks, packBags, type BagSpec, type DispatchedTruck, type TruckSpec } from './bulk.js';
export {
  DELIVERY_FIELDS,
  dispatchManifest,
  dispatchManifests,
  manifestCsv,
  type DeliveryDisclosure,
  type DeliveryDisclosureRequest,
  type DeliveryField,
  type DeliveryRecipient,
  type DispatchManifest,
  type ManifestLine,
  type ManifestOutcome,
  type ManifestRequest,
} from './manifest.js';
export { defineStorageLocations, retrieveParcel, storeParcel, type StorageResult } from './storage.js';
export { trackParcel, type TrackingStep, type TrackingView } from './tracking.js';
