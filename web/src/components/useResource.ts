import { useCallback, useEffect, useState } from 'react';
import { ApiError, getJson } from '../api.js';
import { useSession } from '../session.js';

export type Resource<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: ApiError | Error }
  | { readonly status: 'ready'; readonly data: T };

const LOADING = { status: 'loading' } as const;

/**
 * GETs `path` (null: nothing yet); a 401 ends the session in the app too. `reload()` fetches again, and
 * `refreshMs` does so periodically ("live" views); the previous answer stays on screen until the next arrives.
 */
export function useResource<T>(path: string | null, refreshMs?: number): Resource<T> & { readonly reload: () => void } {
  const { expired } = useSession();
  const [round, setRound] = useState(0);
  // The answer remembers its path: a new path shows "loading" without a state update inside the effect.
  const [answer, setAnswer] = useState<{ readonly path: string; readonly resource: Resource<T> } | null>(null);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    getJson<T>(path, controller.signal).then(
      (data) => setAnswer({ path, resource: { status: 'ready', data } }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) expired();
        setAnswer({ path, resource: { status: 'error', error: err instanceof Error ? err : new Error(String(err)) } });
      },
    );
    return () => controller.abort();
  }, [path, round, expired]);
  useEffect(() => {
    if (refreshMs === undefined || path === null) return;
    const timer = setInterval(() => setRound((r) => r + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, path]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...(answer?.path === path ? answer.resource : LOADING), reload };
}
