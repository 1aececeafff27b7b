export { Gate, GateError, openGate, type AccessRequest, type AccessDecision, type DecisionLog } from './gate.js';
export { Policy, GATE_ACTIONS, DEFAULT_POLICY_FILE, type GateAction, type FieldQuestion, type FieldAnswer } from './policy.js';
export type { PersonalDataSealer, SealRequest, PersonalData, PersonRole, Principal } from './types.js';
export type { PersonalField, PersonalRecord, OpenResult } from '../vault/index.js';
