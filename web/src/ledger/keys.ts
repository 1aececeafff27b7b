// The verifier keys a reader pins in this browser (localStorage): the auditor's page sets them, the
// recipient's page uses them when present.
const LOG_KEY = 'glasshub.logVkey';
const WITNESS_KEYS = 'glasshub.witnessVkeys';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string | null): void {
  try {
    if (value === null || value.trim() === '') localStorage.removeItem(key);
    else localStorage.setItem(key, value.trim());
  } catch {
    // storage disabled: the key lasts as long as the page
  }
}

export const pinnedLogKey = (): string | null => read(LOG_KEY);
export const pinnedWitnessKeys = (): string[] => (read(WITNESS_KEYS) ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
export function pinKeys(logKey: string, witnesses: readonly string[]): void {
  write(LOG_KEY, logKey);
  write(WITNESS_KEYS, witnesses.join('\n'));
}
