/**
 * The console's one way to the server: same-origin fetch with the session cookie, the CSRF token on every
 * write, and problem+json answers turned into errors that keep the server's code and detail.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Where the refusal is recorded in the transparency log, when the server says so. */
    readonly ledgerIndex: string | null = null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
/** Set by the session on sign-in; sent as x-csrf-token with every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
export interface RequestOptions {
  readonly method?: Method;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface ApiResponse<T> {
  readonly data: T;
  readonly headers: Headers;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null,
  });
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw problem(res, body);
  return { data: body as T, headers: res.headers };
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>(path, { signal })).data;
}

function problem(res: Response, body: unknown): ApiError {
  const p = typeof body === 'object' && body !== null ? (body as { code?: unknown; detail?: unknown; title?: unknown }) : {};
  const code = typeof p.code === 'string' ? p.code : `HTTP_${res.status}`;
  const detail = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : typeof body === 'string' && body !== '' ? body.slice(0, 300) : res.statusText;
  return new ApiError(res.status, code, detail, res.headers.get('glasshub-ledger-index'));
}
