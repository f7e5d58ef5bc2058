// HTTP for the reporter form: the access code is the Bearer token. Every call has a timeout, so
// a request lost on a weak signal fails instead of hanging and the outbox can try again.

import type { ApiError } from '../../shared/api'

const CODE_KEY = 'lapor.code'

/** The code stays on the phone (not only for this tab): queued reports must still go out after a restart. */
export function savedCode(): string | null {
  return localStorage.getItem(CODE_KEY)
}

export function saveCode(code: string | null): void {
  if (code) localStorage.setItem(CODE_KEY, code)
  else localStorage.removeItem(CODE_KEY)
}

/**
 * The desk's message in the reporter's words. Reporters hold an access code, never a "token" (the
 * API's word for staff tools): an unknown code says so plainly.
 */
function phoneMessage(status: number, body: ApiError | null): string {
  const message = body?.error.message
  if (
    status === 401 &&
    (body?.error.code === 'unauthorized' || !message || /token/i.test(message))
  ) {
    return 'Kode akses tidak dikenal. Periksa kode di kartu Anda, atau minta kode baru ke desk.'
  }
  if (message && /token/i.test(message))
    return message
      .replace(/\btoken atau kode akses\b/gi, 'kode akses')
      .replace(/\btoken\b/gi, 'kode akses')
  return message ?? `Desk menjawab HTTP ${status}`
}

/** The desk answered with an error. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | null,
    readonly retryAfter: number | null,
  ) {
    super(phoneMessage(status, body))
  }

  get code(): string {
    return this.body?.error.code ?? ''
  }
}

/** No answer at all: no signal, desk unreachable, or too slow. */
export class NetworkError extends Error {
  constructor() {
    super('Tidak tersambung ke desk')
  }
}

export interface CallOptions {
  body?: unknown
  headers?: Record<string, string>
  timeoutMs?: number
  /** Use this code instead of the saved one (signing in). */
  code?: string | null
}

export async function call<T>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; body: T }> {
  const headers = new Headers(options.headers)
  const code = options.code === undefined ? savedCode() : options.code
  if (code) headers.set('Authorization', `Bearer ${code}`)
  let body: BodyInit | undefined
  if (options.body instanceof Blob) {
    body = options.body
    if (!headers.has('Content-Type'))
      headers.set('Content-Type', options.body.type || 'application/octet-stream')
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers.set('Content-Type', 'application/json')
  }
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 20_000)
  let res: Response
  let text: string
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body ?? null,
      signal: controller.signal,
      cache: 'no-store',
    })
    text = await res.text()
  } catch {
    throw new NetworkError()
  } finally {
    clearTimeout(timer)
  }
  let parsed: unknown = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    // A proxy's HTML error page: not the desk's answer.
    if (!res.ok) throw new HttpError(res.status, null, null)
  }
  if (!res.ok) {
    const retry = Number(res.headers.get('Retry-After'))
    throw new HttpError(
      res.status,
      parsed as ApiError | null,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    )
  }
  return { status: res.status, body: parsed as T }
}

export function messageOf(e: unknown): string {
  if (e instanceof HttpError || e instanceof NetworkError) return e.message
  return e instanceof Error ? e.message : String(e)
}
