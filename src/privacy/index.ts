export {
  registerAuthorityRequest,
  decideAuthorityRequest,
  authorityRequestStats,
  AuthorityRequestError,
  MAX_REGISTER_COUNT,
  DEFAULT_RECOGNISED_AGREEMENTS,
  REQUEST_CHANNELS,
  type AuthorityRequestInput,
  type AuthorityDecision,
  type RegisteredRequest,
  type RequestChannel,
  type LedgerAppender,
} from './authority-requests.js';
export { BreachError, registerBreach, recordBreachNotification, listBreaches, NOTIFICATION_DEADLINE_HOURS, type BreachInput, type BreachStatus } from './breaches.js';
export { PROCESSING_ACTIVITIES, LEGAL_BASES, legalBasisOf, recordsOfProcessing, processingGaps, CONTROLLER, type ProcessingActivity } from './processing.js';
export { OutboxTransport, type EmailTransport, type EmailMessage } from './email.js';
export { SubjectAccess, SubjectAccessError, type SubjectReport, type SubjectAccessDeps } from './subject-access.js';
export { Erasure, ErasureError, recipientDirectory, type ErasureDeps, type ErasureLog, type ErasureResult, type RecipientDirectory } from './erasure.js';
export {
  runRetention,
  startRetentionSchedule,
  retentionEnds,
  retentionOf,
  DEFAULT_RETENTION,
  RETENTION_PRINCIPAL,
  RETENTION_BATCH,
  type RetentionRules,
  type RetentionDeps,
  type RetentionResult,
  type RetentionSchedule,
  type CustomsRetention,
  type PersonRetention,
} from './retention.js';
export {
  LedgerAnalyser,
  monitorLog,
  type Anomaly,
  type AnomalyKind,
  type MonitorCarry,
  type MonitorFindings,
  type MonitorOptions,
  type MonitorReport,
  type MonitorState,
  type Severity,
} from './monitor.js';
export {
  parcelStatistics,
  statisticsK,
  StatisticsError,
  STATISTICS_DIMENSIONS,
  MAX_DIMENSIONS,
  type StatisticsDimension,
  type ParcelStatistics,
  type ParcelStatisticsQuery,
  type ParcelStatisticsRow,
  type StatisticsDeps,
} from './statistics.js';
export { renderReportPage, renderStartPage, renderCodePage, checkReceipts, escapeHtml, PAGE_CSP, type ProofStatus } from './subject-access-page.js';
export { pageLanguage, PAGE_LANGUAGES, PAGE_TEXT, type PageLanguage, type PageText } from './subject-access-i18n.js';
