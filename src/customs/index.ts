/** `customs/`: VAT/IOSS, duty, H7, ICS2 completeness, risk rules, clearance and reports. Knows nothing of HTTP. */
export { CustomsData, CustomsDataError, parseEcbCsv } from './data/index.js';
export { computeTax, type TaxResult, type Procedure } from './tax.js';
export { buildH7, ics2Missing, type H7Declaration } from './h7.js';
export { clearFlight, type ClearOptions, type FlightClearance } from './clearance.js';
export { readParties, GATE_BATCH } from './parties.js';
export { flightReport, reportCsv, reportHtml, type FlightReport, type ReportParcel } from './report.js';
export { currentRules, rulesHistory, saveRules, validateRules, DEFAULT_AUTO_HOLD, DEFAULT_RULES, FLAG_RULES, RulesError, type RulesDocument } from './rules/document.js';
export { parseSanctions, parseSanctionsCsv, parseSanctionsXml, SanctionsList } from './rules/sanctions.js';
export { exportFlightH7, H7ExportError, type H7Export, type H7ExportOptions } from './h7-export.js';
export { customsQueue, decideParcel, officerView, CustomsWorkflowError, OFFICER_ACTIONS, type OfficerAction, type QueueEntry, type QueueFilter, type DecisionResult } from './workflow.js';
export { PartyReadDenied, PARTY_READ_FIELDS, type PartyRead } from './parties.js';
export type { ParcelClearance } from './compute.js';
export { PartyScreening, type BuyerScreening } from './screening.js';
