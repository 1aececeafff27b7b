import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';
import { pinnedLogKey } from '../ledger/keys.js';
import type { EntryCheck as Result } from '../ledger/verify.js';
import { text } from '../text.js';

/** A button that checks one ledger entry from the public log, in this browser, against the pinned key. */
export function EntryCheck({ index }: { readonly index: number }): ReactNode {
  const { t } = useI18n();
  const [state, setState] = useState<{ result: Result; pinned: boolean } | { failed: string } | null>(null);
  async function check(): Promise<void> {
    try {
      const pinned = pinnedLogKey();
      const key = pinned ?? (await (await fetch('/log/vkey', { credentials: 'omit' })).text());
      const { verifyLogEntry } = await import('../ledger/verify.js');
      setState({ result: await verifyLogEntry(index, key), pinned: pinned !== null });
    } catch (err) {
      setState({ failed: err instanceof Error ? err.message : String(err) });
    }
  }
  return (
    <>
      <button type="button" className="secondary" onClick={() => void check()}>
        {t('verifyEntry')}
      </button>
      <p role="status" data-testid="entry-check">
        {state !== null && 'failed' in state && <span className="bad">{t('verifyFailed', { detail: state.failed })}</span>}
        {state !== null && 'result' in state && state.result.status === 'pending' && t('entryPending', { index, size: state.result.size })}
        {state !== null && 'result' in state && state.result.status === 'verified' && (
          <>
            <span className="ok">
              <span aria-hidden="true">✓ </span>
              {t('entryVerified', {
                index,
                size: state.result.size,
                what: ['type', 'purpose', 'decision'].map((k) => `${k} ${text(state.result.status === 'verified' ? state.result.entry[k] : '')}`).join(', '),
              })}
            </span>{' '}
            {state.pinned ? t('keyPinned') : t('keyFromServer')}
          </>
        )}
      </p>
    </>
  );
}
