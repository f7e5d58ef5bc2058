import type { ApiError, DeskEvent } from '../../shared/api'

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
  if (init.body && typeof init.body === 'string' && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json')
  const res = await fetch(`/api/v1${path}`, { ...init, headers })
  const text = await res.text()
  const body = text ? (JSON.parse(text) as unknown) : null
  if (!res.ok) throw new ApiFailure(res.status, body as ApiError | null)
  return body as T
}

/** Live events with resume: the browser's EventSource resends Last-Event-ID on reconnect. */
export function subscribe(onEvent: (e: DeskEvent) => void, onState: (connected: boolean) => void): () => void {
  const token = getToken() ?? ''
  const source = new EventSource(`/api/v1/events?token=${encodeURIComponent(token)}`)
  const handler = (msg: MessageEvent<string>) => onEvent(JSON.parse(msg.data) as DeskEvent)
  for (const type of ['result.accepted', 'result.conflict', 'tps.status', 'tps.imported', 'config.changed']) {
    source.addEventListener(type, handler as EventListener)
  }
  source.addEventListener('ready', () => onState(true))
  source.onerror = () => onState(false)
  return () => source.close()
}
