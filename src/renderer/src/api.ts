import type { ApiError } from '../../shared/api'
import type { DeskEventType, StreamEvent } from '../../shared/events'

const TOKEN_KEY = 'desk.token'

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY)
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  else sessionStorage.removeItem(TOKEN_KEY)
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | null,
  ) {
    super(body?.error.message ?? `HTTP ${status}`)
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = getToken()
  const headers = new Headers(init.headers)
  if (token) headers.set('Authorization', `Bearer ${token}`)
  if (init.body && typeof init.body === 'string' && !headers.has('Content-Type'))
    headers.set('Content-Type', 'application/json')
  const res = await fetch(`/api/v1${path}`, { ...init, headers })
  const text = await res.text()
  const body = text ? (JSON.parse(text) as unknown) : null
  if (!res.ok) throw new ApiFailure(res.status, body as ApiError | null)
  return body as T
}

export interface SubscribeOptions {
  /** Event types to receive besides the defaults (SSE delivers named events only to their listeners). */
  types?: DeskEventType[]
  /** Start after this event id (e.g. the one a summary was read at), so nothing falls in between. */
  lastEventId?: number
  /** Silence after which the stream counts as dead and is reopened (the desk pings every 15 s). */
  silenceMs?: number
  /**
   * The desk does not know the last event id this page saw: it is another desk now (restarted on a
   * new or restored data folder), so whatever the page holds is stale. Default: reload the page.
   */
  onReset?: () => void
}

/** Live events with resume: the browser's EventSource resends Last-Event-ID on reconnect. */
export function subscribe(
  onEvent: (e: StreamEvent) => void,
  onState: (connected: boolean) => void,
  options: SubscribeOptions = {},
): () => void {
  const token = getToken() ?? ''
  const types = new Set<DeskEventType>([
    'result.accepted',
    'result.conflict',
    'tps.status',
    'tps.imported',
    'config.changed',
    ...(options.types ?? []),
  ])
  let lastId = options.lastEventId
  let source: EventSource | null = null
  let retry: ReturnType<typeof setTimeout> | null = null
  let stopped = false
  // A link that dies without closing (a pulled cable, a sleeping Wi-Fi bridge) raises no error:
  // the desk sends a ping every 15 s, so silence for longer than this means the stream is dead.
  const SILENCE_MS = options.silenceMs ?? 35_000
  let heard = Date.now()
  const handler = (msg: MessageEvent<string>) => {
    heard = Date.now()
    const e = JSON.parse(msg.data) as StreamEvent
    lastId = e.id
    onEvent(e)
  }
  const watchdog = setInterval(
    () => {
      if (stopped || Date.now() - heard < SILENCE_MS) return
      onState(false)
      source?.close()
      heard = Date.now()
      open()
    },
    Math.min(5_000, SILENCE_MS / 2),
  )
  const open = () => {
    const query = new URLSearchParams({ token })
    if (lastId !== undefined) query.set('lastEventId', String(lastId))
    const s = new EventSource(`/api/v1/events?${query.toString()}`)
    for (const type of types) s.addEventListener(type, handler as EventListener)
    s.addEventListener('ping', () => (heard = Date.now()))
    s.addEventListener('ready', (msg: MessageEvent<string>) => {
      heard = Date.now()
      const ready = JSON.parse(msg.data) as { lastEventId: number; reset?: boolean }
      lastId = ready.lastEventId
      onState(true)
      if (ready.reset) (options.onReset ?? (() => window.location.reload()))()
    })
    s.onerror = () => {
      onState(false)
      // After a network error the browser retries by itself; after an HTTP error answer (a 429,
      // a proxy's 502 while the desk restarts) it gives up for good. Then open a new stream,
      // resuming after the last event seen.
      if (s.readyState === EventSource.CLOSED && !stopped) retry = setTimeout(open, 3_000)
    }
    source = s
  }
  open()
  return () => {
    stopped = true
    clearInterval(watchdog)
    if (retry) clearTimeout(retry)
    source?.close()
  }
}

/**
 * A wall display started as `/papan#token=CODE` (a kiosk browser's start page): keep the code
 * for this tab and take it out of the address bar. The fragment never reaches the server or its logs.
 */
export function adoptTokenFromUrl(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash)
  if (!m) return null
  setToken(decodeURIComponent(m[1]!))
  history.replaceState(null, '', window.location.pathname + window.location.search)
  return getToken()
}
