import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, request, setCsrfToken } from './api.js';
import { isRole, type Role } from './roles.js';

export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly organisation: string;
  readonly country: string;
}

interface SessionAnswer {
  readonly principal: { id: string; name: string; role: string; organisation: string; country: string };
  readonly csrfToken: string;
  readonly expiresAt: string;
}

type State =
  | { readonly status: 'loading' }
  /** `signedOut`: this browser's user ended the session, as opposed to never having one or its expiry. */
  | { readonly status: 'anonymous'; readonly signedOut?: true }
  | { readonly status: 'signed-in'; readonly principal: Principal; readonly expiresAt: string };

interface Session {
  readonly state: State;
  readonly signIn: (token: string) => Promise<Principal>;
  readonly signOut: () => Promise<void>;
  /** After a 401 from any call: the session ended on the server. */
  readonly expired: () => void;
}

const Context = createContext<Session | null>(null);

function accept(answer: SessionAnswer): State & { status: 'signed-in' } {
  const p = answer.principal;
  if (!isRole(p.role)) throw new ApiError(500, 'UNKNOWN_ROLE', `the server named an unknown role ${JSON.stringify(p.role)}`);
  setCsrfToken(answer.csrfToken);
  return { status: 'signed-in', principal: { ...p, role: p.role }, expiresAt: answer.expiresAt };
}

export function SessionProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    request<SessionAnswer>('/api/v1/session', { signal: controller.signal }).then(
      (r) => setState(accept(r.data)),
      (err: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'anonymous' });
        if (!(err instanceof ApiError) && !controller.signal.aborted) console.error(err);
      },
    );
    return () => controller.abort();
  }, []);

  const signIn = useCallback(async (token: string) => {
    const next = accept((await request<SessionAnswer>('/api/v1/session', { method: 'POST', body: { token } })).data);
    setState(next);
    return next.principal;
  }, []);
  const signOut = useCallback(async () => {
    try {
      await request<unknown>('/api/v1/session', { method: 'DELETE' });
    } finally {
      setCsrfToken(null);
      setState({ status: 'anonymous', signedOut: true });
    }
  }, []);
  const expired = useCallback(() => {
    setCsrfToken(null);
    setState({ status: 'anonymous' });
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, expired }), [state, signIn, signOut, expired]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const s = useContext(Context);
  if (s === null) throw new Error('useSession outside <SessionProvider>');
  return s;
}
