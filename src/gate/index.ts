export { Gate, GateError, openGate, type AccessRequest, type AccessDecision, type DecisionLog, type EraseRequest } from './gate.js';
export type { ScreenDecision, ScreenRequest } from './screen.js';
export { Policy, GATE_ACTIONS, DEFAULT_POLICY_FILE, type GateAction, type FieldQuestion, type FieldAnswer, type AggregateQuestion } from './policy.js';
export type { PersonalDataSealer, PreparedSeal, SealRequest, PersonalData, PersonRole, Principal } from './types.js';
export type { PersonalField, PersonalRecord, OpenResult } from '../vault/index.js';
export { releaseAggregate, aggregateCommitment, AggregateError, DEFAULT_AGGREGATE_K, type AggregateCell, type AggregateRequest, type AggregateRelease } from './aggregate.js';
// Master-key management for the CLI, which may not import the vault itself: it rewraps data keys, never opens a record.
export { rotateVaultKeys, retireVaultKey, vaultKeyStatus, type RotationOptions, type RotationResult } from '../vault/index.js';
