import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import type { ConfigDto } from '../../../shared/api'
import type { DeskEventType, StreamEvent } from '../../../shared/events'
import { REMOVED_SIMULATED_ROLE, type ActorDto, type PhotoRefDto } from '../../../shared/console'
import { formatTimeWib } from '../../../shared/format'
import { api, ApiFailure, getToken } from '../api'
import { useM, type ConsoleMessages } from './messages'

/** Everything the console's screens share: who is signed in, live events, navigation. */
export interface ConsoleContextValue {
  config: ConfigDto
  me: { id: string; name: string; role: string }
  path: string
  navigate: (to: string) => void
  /** Subscribe to live events; returns the unsubscribe. */
  listen: (fn: (e: ConsoleEvent) => void) => () => void
  connected: boolean
  onUnauthorized: () => void
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null)

export function useConsole(): ConsoleContextValue {
  const c = useContext(ConsoleContext)
  if (!c) throw new Error('useConsole outside the console')
  return c
}

const RANK: Record<string, number> = {
  display: 0,
  reporter: 1,
  operator: 2,
  supervisor: 3,
  admin: 4,
}
export function roleAtLeast(role: string, min: 'operator' | 'supervisor' | 'admin'): boolean {
  return (RANK[role] ?? -1) >= RANK[min]!
}

/**
 * Not a desk event: the console's own signal, sent to every listener when the desk says `ready.reset`
 * (another desk behind the address after a failover, or this console too far behind). Every screen
 * re-reads its data in place, so nothing the operator is typing is lost to a page reload.
 */
export const DESK_RESET = 'console.reset'

/** What a console listener hears: an event of the stream, or the console's own reset signal. */
export type ConsoleEvent = StreamEvent | { id: 0; type: typeof DESK_RESET; at: string; data: null }

/** Every event type the console reacts to. */
export const LIVE_TYPES = [
  'result.accepted',
  'result.conflict',
  'result.updated',
  'result.reviewed',
  'conflict.resolved',
  'chase.called',
  'draft.changed',
  'tps.status',
  'tps.imported',
  'incident.created',
  'incident.updated',
  'verification.changed',
  'photo.added',
  'users.imported',
  'sms.received',
  'sms.sent',
  'sms.handled',
  'sms.unblocked',
  'auth.locked',
  'auth.unlocked',
  'review.assigned',
  'simulation.purged',
] satisfies DeskEventType[]

/**
 * Load `path` and reload it when any of `types` arrives, at most every 300 ms (a burst of
 * arrivals on election night becomes one reload, not hundreds).
 */
export function useLiveData<T>(
  path: string | null,
  /** The events after which to load again (`*`: any). */
  types: (DeskEventType | '*')[],
): {
  data: T | null
  error: ApiFailure | null
  reload: () => void
  setData: (d: T) => void
} {
  const { listen, onUnauthorized } = useConsole()
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<ApiFailure | null>(null)
  const seq = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const typesKey = types.join(',')

  const load = useCallback(() => {
    if (!path) return
    const mine = ++seq.current
    api<T>(path).then(
      (d) => {
        if (mine !== seq.current) return
        setData(d)
        setError(null)
      },
      (e: unknown) => {
        if (mine !== seq.current) return
        if (e instanceof ApiFailure && e.status === 401) onUnauthorized()
        setError(
          e instanceof ApiFailure
            ? e
            : new ApiFailure(0, { error: { code: 'network', message: String(e) } }),
        )
      },
    )
  }, [path, onUnauthorized])

  useEffect(() => {
    setData(null)
    load()
  }, [load])

  useEffect(() => {
    const wanted = new Set(typesKey.split(','))
    const off = listen((e) => {
      if (!wanted.has(e.type) && !wanted.has('*') && e.type !== DESK_RESET) return
      if (timer.current) return
      timer.current = setTimeout(() => {
        timer.current = null
        load()
      }, 300)
    })
    return () => {
      off()
      if (timer.current) clearTimeout(timer.current)
      timer.current = null
    }
  }, [listen, load, typesKey])

  return { data, error, reload: load, setData }
}

/**
 * The history screen of one TPS. A query, not a path segment: the UI's assets are linked
 * relative to the page, so every console screen lives one level deep.
 */
export function historyPath(tps: string): string {
  return `/tps?kode=${encodeURIComponent(tps)}`
}

/** An in-console link: keeps the page (and the live stream) instead of reloading. */
export function Link({
  to,
  children,
  className,
}: {
  to: string
  children: ReactNode
  className?: string
}) {
  const { navigate } = useConsole()
  return (
    <a
      href={to}
      className={className}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return
        e.preventDefault()
        navigate(to)
      }}
    >
      {children}
    </a>
  )
}

export function ErrorLine({ error }: { error: ApiFailure | Error | string | null }) {
  if (!error) return null
  return (
    <p className="error" role="alert">
      {typeof error === 'string' ? error : error.message}
    </p>
  )
}

export function Loading() {
  const m = useM()
  return <p className="muted">{m.loading}</p>
}

/** True for an account the purge of simulated data removed (its reports stay in the log). */
export const isRemovedSimulated = (actor: ActorDto) => actor.role === REMOVED_SIMULATED_ROLE

/** Who did it, as a person reads it: the name, or what a removed simulated account was. */
export function actorLabel(actor: ActorDto, m: ConsoleMessages): string {
  return isRemovedSimulated(actor) ? m.removedSimulated : actor.name
}

export function ActorName({ actor }: { actor: ActorDto }) {
  const m = useM()
  if (isRemovedSimulated(actor)) return <span className="actor muted">{m.removedSimulated}</span>
  return (
    <span className="actor">
      {actor.name} <span className="muted">({m.role[actor.role] ?? actor.role})</span>
    </span>
  )
}

export function Time({ at, seconds }: { at: string; seconds?: boolean }) {
  return <time dateTime={at}>{formatTimeWib(at, seconds)}</time>
}

/** "3 menit", "1 jam 20 menit": how long since `at`, for the chase list. */
export function durationSince(at: string, now: number, lang: 'id' | 'en'): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(at)) / 60_000))
  const h = Math.floor(minutes / 60)
  const min = minutes % 60
  if (lang === 'en') return h > 0 ? `${h} h ${min} min` : `${min} min`
  return h > 0 ? `${h} jam ${min} menit` : `${min} menit`
}

/** Ticks every `ms` so relative times stay true without reloading anything. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}

export function contestName(config: ConfigDto, id: string): string {
  return config.contests.find((c) => c.id === id)?.name ?? id
}

/** A short contest label for tight tables: "Gubernur" from "Pemilihan Gubernur dan Wakil …". */
export function contestShort(config: ConfigDto, id: string): string {
  const name = contestName(config, id)
  const m = /(Gubernur|Bupati|Wali Kota|Walikota)/i.exec(name)
  return m ? m[1]! : id
}

/** A JSON POST; errors come back as ApiFailure with the server's Indonesian message. */
export function post<T>(path: string, body: unknown): Promise<T> {
  return api<T>(path, { method: 'POST', body: JSON.stringify(body) })
}

/** Field errors of an ApiFailure ("votes.2" → message), or {}. */
export function fieldErrors(e: unknown): Record<string, string> {
  return e instanceof ApiFailure ? (e.body?.error.fields ?? {}) : {}
}

/** A random id usable over plain HTTP on the LAN (crypto.randomUUID needs a secure context). */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/**
 * Evidence photos: behind the operator's token, so fetched with it and shown as blob: URLs.
 * `heading: false` for a photo inside a list item (an incident) where a heading would be noise.
 */
export function Photos({ photos, heading = true }: { photos: PhotoRefDto[]; heading?: boolean }) {
  const m = useM()
  const [urls, setUrls] = useState<{ src: string; label: string }[]>([])
  const key = photos.map((p) => p.url).join('|')
  useEffect(() => {
    let stopped = false
    const made: string[] = []
    void Promise.all(
      photos.map(async (p) => {
        const res = await fetch(p.url, { headers: { Authorization: `Bearer ${getToken() ?? ''}` } })
        if (!res.ok) return null
        const src = URL.createObjectURL(await res.blob())
        made.push(src)
        return { src, label: p.label }
      }),
    ).then((list) => {
      if (!stopped) setUrls(list.filter((x): x is { src: string; label: string } => x !== null))
    })
    return () => {
      stopped = true
      made.forEach((u) => URL.revokeObjectURL(u))
    }
    // The list is identified by its URLs: a new array with the same photos must not refetch them.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- photos is read through key
  }, [key])
  return (
    <div className="photos">
      {heading && <h3>{m.photos}</h3>}
      {photos.length === 0 ? (
        heading && <p className="muted small">{m.noPhotos}</p>
      ) : (
        <div className="photo-row">
          {urls.map((u) => (
            <a key={u.src} href={u.src} target="_blank" rel="noreferrer">
              <img src={u.src} alt={u.label} title={u.label} />
            </a>
          ))}
        </div>
      )}
    </div>
  )
}
