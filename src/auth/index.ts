/**
 * `auth/`: who is calling. Principals (role, organisation, country), their API tokens (stored hashed), and the
 * ledger records of both: every principal added or revoked, every token issued, every request refused.
 * It knows nothing of HTTP or the CLI; `http/auth.ts` puts it in front of the routes.
 */
export {
  ROLES,
  isRole,
  parsePrincipalInput,
  principalTag,
  PrincipalError,
  type LedgerAppender,
  type Principal,
  type PrincipalInput,
  type PrincipalTag,
  type Role,
} from './model.js';
export { addPrincipal, findPrincipal, listPrincipals, revokePrincipal, type AddedPrincipal, type ListOptions, type RevokedPrincipal } from './principals.js';
export {
  TOKEN_PREFIX,
  generateToken,
  hashToken,
  isWellFormedToken,
  issueToken,
  parseDuration,
  expiryAfter,
  revokeToken,
  verifyToken,
  type IssuedToken,
  type TokenCheck,
  type TokenFailure,
  type TokenOptions,
} from './tokens.js';
export { DenialRecorder, type Denial, type DenialLimits, type DenialReason, type DenialRecord } from './denials.js';
