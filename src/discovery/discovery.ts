import Bonjour from 'bonjour-service'
import { hostname } from 'node:os'

/** The desk's service type on the LAN: `_desk-pilkada._tcp`. */
export const DESK_SERVICE_TYPE = 'desk-pilkada'

/** The part of bonjour-service the desk uses; tests pass a fake so they need no multicast. */
export interface BonjourLike {
  publish(options: {
    name: string
    type: string
    port: number
    txt?: Record<string, string>
    disableIPv6?: boolean
  }): PublishedLike
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
  /** bonjour-service's Browser emits `up` and `down` as services come and go. */
  on?(event: 'up' | 'down', listener: (service: FoundService) => void): unknown
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
  /** The desk's version, advertised so a workstation can tell an old desk apart. */
  version?: string
  /** Shown to other machines; defaults to "Desk Pilkada <regency> @ <hostname>:<port>". */
  name?: string
  /** bonjour-service by default; a fake in tests. */
  bonjour?: () => BonjourLike
  onError?: (message: string) => void
  /** `https` when the desk serves TLS itself: advertised as `_https._tcp` and `scheme` in the TXT record. */
  scheme?: 'http' | 'https'
  /** With TLS: the certificate's SHA-256 fingerprint (public), so another desk's app can pin it. */
  certFingerprint?: string
}

/**
 * Advertise this desk on the LAN (mDNS/DNS-SD, `_desk-pilkada._tcp` plus a plain `_http._tcp` so
 * any Bonjour browser finds it) and browse for other desks: a second desk on the same network on
 * election night is a mistake the LAN screen should make visible. Failures (no multicast, name
 * taken) are reported in `state()`, never thrown: discovery is a convenience, not a dependency.
 */
export function startDiscovery(options: DiscoveryOptions): Discovery {
  const name =
    options.name ??
    `Desk Pilkada ${options.regencyName}${options.training ? ' (latihan)' : ''} @ ${hostname()}:${options.port}`.slice(
      0,
      63,
    )
  let error: string | null = null
  const fail = (e: unknown) => {
    error = e instanceof Error ? e.message : String(e)
    options.onError?.(error)
  }
  let bonjour: BonjourLike | null = null
  let published: PublishedLike[] = []
  let browser: BrowserLike | null = null
  try {
    bonjour = options.bonjour
      ? options.bonjour()
      : (new Bonjour({}, fail) as unknown as BonjourLike)
    // Public facts only: anyone on the LAN reads these records (never a token or a code).
    const scheme = options.scheme ?? 'http'
    const txt = {
      name: options.regencyName,
      regency: options.regencyCode,
      version: options.version ?? '',
      training: options.training ? '1' : '0',
      lapor: '/lapor',
      papan: '/papan',
      ...(scheme === 'https' ? { scheme } : {}),
      ...(scheme === 'https' && options.certFingerprint ? { cert: options.certFingerprint } : {}),
    }
    published = [
      bonjour.publish({
        name,
        type: DESK_SERVICE_TYPE,
        port: options.port,
        txt,
        disableIPv6: true,
      }),
      bonjour.publish({
        name,
        type: scheme,
        port: options.port,
        txt: { path: '/' },
        disableIPv6: true,
      }),
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
        .map((s) => ({
          name: s.name,
          host: s.host,
          port: s.port,
          addresses: (s.addresses ?? []).filter((a) => !a.includes(':')),
        }))
      const refused = published.some((p) => p.activated === false && !p.published)
      return {
        enabled: true,
        advertising:
          !stopped && published.length > 0 && published.every((p) => p.published !== false),
        name,
        type: `_${DESK_SERVICE_TYPE}._tcp`,
        error:
          error ??
          (refused && !stopped ? `Nama "${name}" sudah dipakai perangkat lain di jaringan` : null),
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
  return {
    enabled: false,
    advertising: false,
    name: null,
    type: `_${DESK_SERVICE_TYPE}._tcp`,
    error: null,
    peers: [],
  }
}

/** A desk seen on the LAN, as the desktop app's start screen lists it. */
export interface DeskAdvert {
  /** The service instance name (unique on the LAN). */
  id: string
  /** The regency's name from the TXT record. */
  name: string
  regency: string
  version: string
  training: boolean
  /** http(s)://ADDRESS:PORT — the first IPv4 address, else the host name; https when advertised. */
  url: string
  /** With https: the SHA-256 fingerprint of the desk's certificate (AA:BB:…), to accept exactly it. */
  certFingerprint: string | null
}

export interface DeskBrowser {
  list(): DeskAdvert[]
  stop(): void
}

function txtString(txt: Record<string, unknown> | undefined, key: string): string {
  const v = txt?.[key]
  if (typeof v === 'string') return v.slice(0, 100)
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8').slice(0, 100)
  return ''
}

/** What a TXT record and address say about a desk; records that are not a desk's are dropped. */
export function advertOf(s: FoundService): DeskAdvert | null {
  const regency = txtString(s.txt, 'regency')
  if (!/^\d{2}\.\d{2}$/.test(regency) || !Number.isInteger(s.port) || s.port <= 0 || s.port > 65535)
    return null
  const v4 = (s.addresses ?? []).find((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a))
  const host = v4 ?? s.host
  if (!host || !/^[A-Za-z0-9.-]+$/.test(host)) return null
  const https = txtString(s.txt, 'scheme') === 'https'
  const cert = txtString(s.txt, 'cert').toUpperCase()
  return {
    id: s.name,
    name: txtString(s.txt, 'name') || s.name,
    regency,
    version: txtString(s.txt, 'version'),
    training: txtString(s.txt, 'training') === '1',
    url: `${https ? 'https' : 'http'}://${host}:${s.port}`,
    certFingerprint: https && /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(cert) ? cert : null,
  }
}

/**
 * Browse the LAN for desks (`_desk-pilkada._tcp`) and call `onChange` with the whole list each
 * time one appears or goes. Like advertising, a failure is reported, never thrown.
 */
export function browseDesks(options: {
  bonjour?: () => BonjourLike
  onChange: (list: DeskAdvert[]) => void
  onError?: (message: string) => void
}): DeskBrowser {
  const seen = new Map<string, DeskAdvert>()
  const emit = () =>
    options.onChange(
      [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    )
  let bonjour: BonjourLike | null = null
  let browser: BrowserLike | null = null
  try {
    bonjour = options.bonjour
      ? options.bonjour()
      : (new Bonjour({}, (e: unknown) => options.onError?.(String(e))) as unknown as BonjourLike)
    browser = bonjour.find({ type: DESK_SERVICE_TYPE })
    browser.on?.('up', (s) => {
      const ad = advertOf(s)
      if (!ad) return
      seen.set(ad.id, ad)
      emit()
    })
    browser.on?.('down', (s) => {
      if (seen.delete(s.name)) emit()
    })
    for (const s of browser.services) {
      const ad = advertOf(s)
      if (ad) seen.set(ad.id, ad)
    }
    if (seen.size) emit()
  } catch (e) {
    options.onError?.(e instanceof Error ? e.message : String(e))
  }
  return {
    list: () => [...seen.values()],
    stop() {
      try {
        browser?.stop()
        bonjour?.destroy()
      } catch {
        // already stopped
      }
    },
  }
}
