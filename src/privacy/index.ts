export {
  registerAuthorityRequest,
  decideAuthorityRequest,
  authorityRequestStats,
  AuthorityRequestError,
  DEFAULT_RECOGNISED_AGREEMENTS,
  REQUEST_CHANNELS,
  type AuthorityRequestInput,
  type AuthorityDecision,
  type RegisteredRequest,
  type RequestChannel,
  type LedgerAppender,
} from './authority-requests.js';
export { registerBreach, recordBreachNotification, listBreaches, NOTIFICATION_DEADLINE_HOURS, type BreachInput, type BreachStatus } from './breaches.js';
export { PROCESSING_ACTIVITIES, recordsOfProcessing, processingGaps, CONTROLLER, type ProcessingActivity } from './processing.js';
export { OutboxTransport, type EmailTransport, type EmailMessage } from './email.js';
export { SubjectAccess, SubjectAccessError, type SubjectReport, type SubjectAccessDeps } from './subject-access.js';
