import { useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api.js';
import { Title } from '../components/Title.js';
import { useI18n } from '../i18n/index.js';
import { homeFor } from '../roles.js';
import { useSession } from '../session.js';
import { safeNextPath } from '../validate.js';

export function SignIn(): ReactNode {
  const { t } = useI18n();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [token, setToken] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const value = token.trim();
    setInvalid(!value.startsWith('gh_'));
    if (!value.startsWith('gh_')) return;
    setBusy(true);
    setFailure(null);
    try {
      const principal = await signIn(value);
      setToken('');
      await navigate(safeNextPath(params.get('next')) ?? homeFor(principal.role));
    } catch (err) {
      setFailure(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Title>{t('signInTitle')}</Title>
      <p>{t('signInIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="token">{t('token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'token-error' : undefined}
          required
        />
        {invalid && (
          <p id="token-error" className="field-error">
            {t('tokenInvalid')}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
      {failure !== null && (
        <p className="error" role="alert">
          {t('signInFailed', { detail: failure })}
        </p>
      )}
    </>
  );
}
