export { Vault, ledgerTag, PERSONAL_FIELDS, type PersonalField, type PersonalRecord, type PersonToSeal, type OpenResult, type OpenedRecord, type PreparedRecords } from './vault.js';
export { loadOrCreateVaultKeys, addMasterKey, removeMasterKey, masterKeys, keyringFrom, LocalKeyWrapper, VAULT_KEYS_ENV, type KeyWrapper, type VaultKeyring } from './keys.js';
export { rotateVaultKeys, retireVaultKey, vaultKeyStatus, vaultKeyUsage, type RotationOptions, type RotationResult } from './rotation.js';
export type { NameScreening } from './screen.js';
export { PreparedPeople } from './prepare-seal.js';
