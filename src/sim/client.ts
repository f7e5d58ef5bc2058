// The simulator's only way into a desk: its public HTTP API, with fetch, like a phone would.
// Honours 429 Retry-After and retries requests whose connection failed (every write the
// simulator makes is idempotent: a result carries its submissionId).

export interface ApiAnswer<T = unknown> {
  status: number
  body: T
  headers: Headers
  /** The request was sent again after its connection failed: the desk may have seen it before. */
  resent?: boolean
}

export interface ClientStats {
  rateLimited: number
  networkRetries: number
}

export class AbortedError extends Error {
  constructor() {
    super('Simulasi dihentikan')
    this.name = 'AbortedError'
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortedError())
  if (ms <= 0) return Promise.resolve()
  return new Promise((ok, fail) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort)
      ok()
    }
    const timer = setTimeout(done, ms)
    const onAbort = () => {
      clearTimeout(timer)
      fail(new AbortedError())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface RequestOptions {
  token?: string
  body?: unknown
  contentType?: string
  headers?: Record<string, string>
}

export class DeskClient {
  readonly stats: ClientStats = { rateLimited: 0, networkRetries: 0 }
  private readonly base: string

  constructor(
    url: string,
    private readonly signal?: AbortSignal,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = url.replace(/\/+$/, '') + '/api/v1'
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let payload: string | undefined
    if (options.body !== undefined) {
      if (typeof options.body === 'string') {
        payload = options.body
        headers['content-type'] = options.contentType ?? 'text/plain'
      } else {
        payload = JSON.stringify(options.body)
        headers['content-type'] = 'application/json'
      }
    }
    let failures = 0
    for (;;) {
      if (this.signal?.aborted) throw new AbortedError()
      // A controller per request, tied to the run's signal only while the request lasts: fetch
      // would otherwise leave a listener on the long-lived signal for every request it made.
      const controller = new AbortController()
      const onAbort = () => controller.abort()
      this.signal?.addEventListener('abort', onAbort, { once: true })
      let res: Response
      let text: string
      try {
        res = await this.fetchImpl(this.base + path, {
          method,
          headers,
          body: payload,
          signal: controller.signal,
        })
        text = await res.text()
      } catch (e) {
        if (this.signal?.aborted) throw new AbortedError()
        failures++
        if (failures > 5)
          throw new Error(
            `Desk tidak bisa dihubungi (${method} ${path}): ${e instanceof Error ? e.message : String(e)}`,
          )
        this.stats.networkRetries++
        await sleep(200 * 2 ** failures, this.signal)
        continue
      } finally {
        this.signal?.removeEventListener('abort', onAbort)
      }
      let body: unknown = text
      try {
        body = text ? JSON.parse(text) : null
      } catch {
        // not JSON: keep the text
      }
      // Too many requests: wait as told and send the same request again. A locked access code
      // (too many wrong codes) is not a rate limit; waiting would not help, so it is returned.
      const retryAfter = Number(res.headers.get('retry-after'))
      if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) {
        this.stats.rateLimited++
        await sleep(Math.min(retryAfter, 60) * 1000, this.signal)
        continue
      }
      return {
        status: res.status,
        body: body as T,
        headers: res.headers,
        ...(failures > 0 ? { resent: true } : {}),
      }
    }
  }
}

/** The message of an API error answer, for people. */
export function errorMessage(answer: ApiAnswer): string {
  const b = answer.body as { error?: { message?: string } } | string | null
  if (b && typeof b === 'object' && b.error?.message) return b.error.message
  return `HTTP ${answer.status}`
}
