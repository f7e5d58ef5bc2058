import Bonjour from 'bonjour-service'
import { hostname } from 'node:os'

/** The desk's service type on the LAN: `_desk-pilkada._tcp`. */
export const DESK_SERVICE_TYPE = 'desk-pilkada'

/** The part of bonjour-service the desk uses; tests pass a fake so they need no multicast. */
export interface BonjourLike {
  publish(options: { name: string; type: string; port: number; txt?: Record<string, string>; disableIPv6?: boolean }): PublishedLike
  find(options: { type: string }): BrowserLike
  unpublishAll(callback?: () => void): void
  destroy(callback?: () => void): void
}

export interface PublishedLike {
  published?: boolean
  /** bonjour-service stops a service whose name another machine already uses. */
  activated?: boolean
  on?(event: 'up' | 'error', listener: (...args: unknown[]) => void): unknown
}

export interface FoundService {
  name: string
  host: string
  port: number
  addresses?: string[]
  txt?: Record<string, unknown>
}

export interface BrowserLike {
  services: FoundService[]
  stop(): void
}

export interface DiscoveryState {
  enabled: boolean
  advertising: boolean
  name: string | null
  type: string
  error: string | null
  peers: { name: string; host: string; port: number; addresses: string[] }[]
}

export interface Discovery {
  state(): DiscoveryState
  stop(): Promise<void>
}

export interface DiscoveryOptions {
  port: number
  regencyCode: string
  regencyName: string
  training: boolean
  /** Shown to other machines; defaults to "Desk Pilkada <regency> @ <hostname>:<port>". */
  name?: string
  /** bonjour-service by default; a fake in tests. */
  bonjour?: () => BonjourLike
  onError?: (message: string) => void
  /** `https` when the desk serves TLS itself: advertised as `_https._tcp` and `scheme` in the TXT record. */
  scheme?: 'http' | 'https'
}

/**
 * Advertise this desk on the LAN (mDNS/DNS-SD, `_desk-pilkada._tcp` plus a plain `_http._tcp` so
 * any Bonjour browser finds it) and browse for other desks: a second desk on the same network on
 * election night is a mistake the LAN screen should make visible. Failures (no multicast, name
 * taken) are reported in `state()`, never thrown: discovery is a convenience, not a dependency.
 */
export function startDiscovery(options: DiscoveryOptions): Discovery {
  const name =
    options.name ?? `Desk Pilkada ${options.regencyName}${options.training ? ' (latihan)' : ''} @ ${hostname()}:${options.port}`.slice(0, 63)
  let error: string | null = null
  const fail = (e: unknown) => {
    error = e instanceof Error ? e.message : String(e)
    options.onError?.(error)
  }
  let bonjour: BonjourLike | null = null
  let published: PublishedLike[] = []
  let browser: BrowserLike | null = null
  try {
    bonjour = options.bonjour ? options.bonjour() : (new Bonjour({}, fail) as unknown as BonjourLike)
    const scheme = options.scheme ?? 'http'
    const txt = { regency: options.regencyCode, training: options.training ? '1' : '0', lapor: '/lapor', papan: '/papan', ...(scheme === 'https' ? { scheme } : {}) }
    published = [
      bonjour.publish({ name, type: DESK_SERVICE_TYPE, port: options.port, txt, disableIPv6: true }),
      bonjour.publish({ name, type: scheme, port: options.port, txt: { path: '/' }, disableIPv6: true }),
    ]
    for (const p of published) p.on?.('error', fail)
    browser = bonjour.find({ type: DESK_SERVICE_TYPE })
  } catch (e) {
    fail(e)
  }
  let stopped: Promise<void> | null = null
  return {
    state() {
      const peers = (browser?.services ?? [])
        .filter((s) => s.name !== name)
        .map((s) => ({ name: s.name, host: s.host, port: s.port, addresses: (s.addresses ?? []).filter((a) => !a.includes(':')) }))
      const refused = published.some((p) => p.activated === false && !p.published)
      return {
        enabled: true,
        advertising: !stopped && published.length > 0 && published.every((p) => p.published !== false),
        name,
        type: `_${DESK_SERVICE_TYPE}._tcp`,
        error: error ?? (refused && !stopped ? `Nama "${name}" sudah dipakai perangkat lain di jaringan` : null),
        peers,
      }
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        try {
          browser?.stop()
        } catch {
          // already stopped
        }
        if (!bonjour) return resolve()
        // Send the goodbye packets (others drop us at once), but never hold up shutdown for them.
        const b = bonjour
        const timer = setTimeout(resolve, 1000)
        const done = () => {
          clearTimeout(timer)
          resolve()
        }
        try {
          b.unpublishAll(() => {
            try {
              b.destroy(done)
            } catch {
              done()
            }
          })
        } catch {
          done()
        }
      })
      return stopped
    },
  }
}

/** The state shown when discovery is off (loopback-only desk, or disabled by option). */
export function discoveryOff(): DiscoveryState {
  return { enabled: false, advertising: false, name: null, type: `_${DESK_SERVICE_TYPE}._tcp`, error: null, peers: [] }
}
