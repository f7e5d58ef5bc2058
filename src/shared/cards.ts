// Credential cards (issue 11): the address printed on cards, and the selection of people whose codes
// are reissued in bulk. Used by the server (validation, selection) and the /kredensial screen alike,
// so the count the admin confirms on screen is counted by the same rule the desk applies. No zod
// here: the UI bundle imports this file (the schemas are in cards-schemas.ts, for the server).

import type { Role } from './schemas'

export const PUBLIC_URL_MAX = 200

/**
 * A public URL as typed by a person (flag or form) → its origin (`https://desk.example.go.id`), or
 * an Indonesian sentence naming `field` and what to write instead. Only the desk's root is
 * accepted: the UI's assets are named from the site root, so a path prefix would not load.
 */
export function parsePublicUrl(
  raw: string,
  field = 'publicUrl',
): { url: string } | { error: string } {
  const text = raw.trim()
  const example = 'mis. https://desk-pilkada.jemberkab.go.id'
  if (text === '') return { error: `${field} wajib diisi: alamat lengkap desk, ${example}` }
  if (text.length > PUBLIC_URL_MAX)
    return { error: `${field} paling panjang ${PUBLIC_URL_MAX} karakter` }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    return { error: `${field} harus diawali http:// atau https://, ${example}` }
  let u: URL
  try {
    u = new URL(text)
  } catch {
    return { error: `${field} bukan alamat yang sah, ${example}` }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { error: `${field} harus diawali http:// atau https://, ${example}` }
  if (!u.hostname) return { error: `${field} harus memuat nama host, ${example}` }
  // A password in a printed QR code would be a password on paper.
  if (u.username || u.password)
    return { error: `${field} tidak boleh memuat nama pengguna atau kata sandi` }
  if (u.search || u.hash || text.includes('?') || text.includes('#'))
    return { error: `${field} tidak boleh memuat ? atau #` }
  if (u.pathname !== '/' && u.pathname !== '') {
    return {
      error: `${field} harus alamat akar desk tanpa path (/lapor ditambahkan sendiri), ${example}`,
    }
  }
  return { url: `${u.protocol}//${u.host}` }
}

export interface PublicUrlDto {
  /** The address printed on reporters' cards, or null when none is set. */
  publicUrl: string | null
  /** `admin`: set on /kredensial (kept in the database); `flag`: `--public-url` at start. */
  source: 'admin' | 'flag' | null
  /** The `--public-url` the desk was started with (what DELETE goes back to). */
  flag: string | null
}

export interface CardAddressDto {
  /** `public` for the public URL, otherwise the network interface (`eth0`, `wlan0`). */
  interface: string
  url: string
  kind: 'public' | 'lan'
}

export interface CardAddressesDto extends PublicUrlDto {
  /** The public URL first (when set), then every LAN address the desk serves. */
  urls: CardAddressDto[]
  port: number
  /** The address the desk listens on (`0.0.0.0` = every interface). */
  host: string
  /** True when the desk listens on loopback only: no phone or laptop reaches it directly. */
  loopbackOnly: boolean
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || h.startsWith('127.') || h === '::ffff:127.0.0.1'
}

/** Addresses only the office's network reaches: private IPv4 ranges, link-local, `.local` names. */
export function isLanHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h.endsWith('.local') || h.startsWith('fe80:') || h.startsWith('fc') || h.startsWith('fd'))
    return true
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h)
  if (!m) return false
  const a = Number(m[1])
  const b = Number(m[2])
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  )
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname
  } catch {
    return ''
  }
}

const VIRTUAL_INTERFACE =
  /^(docker|br-|veth|virbr|vmnet|vboxnet|lxc|lxd|cni|flannel|podman|tun|tap|wg|zt|tailscale|utun)/i

/**
 * The addresses to offer on /kredensial: the public URL first, then the LAN addresses the desk
 * serves. Bound to loopback, no LAN address serves; bound to one address, only that one does.
 */
export function cardAddresses(input: {
  publicUrl: string | null
  host: string
  port: number
  lan: { interface: string; address: string }[]
  /** `https` when the desk serves TLS itself: its LAN addresses then answer only over https. */
  scheme?: 'http' | 'https'
}): { urls: CardAddressDto[]; loopbackOnly: boolean } {
  const wildcard = input.host === '0.0.0.0' || input.host === '::' || input.host === ''
  const loopbackOnly = isLoopbackHost(input.host)
  const serving = wildcard
    ? input.lan
    : loopbackOnly
      ? []
      : input.lan.filter((a) => a.address === input.host)
  const list =
    !wildcard && !loopbackOnly && serving.length === 0
      ? [{ interface: '?', address: input.host }]
      : serving
  const urls: CardAddressDto[] = []
  if (input.publicUrl) urls.push({ interface: 'public', url: input.publicUrl, kind: 'public' })
  // Container and VPN bridges (docker0 at 172.17.0.1, …) are not where phones are: never first.
  const ordered = [...list].sort(
    (a, b) =>
      Number(VIRTUAL_INTERFACE.test(a.interface)) - Number(VIRTUAL_INTERFACE.test(b.interface)),
  )
  for (const a of ordered) {
    const host = a.address.includes(':') ? `[${a.address}]` : a.address
    urls.push({
      interface: a.interface,
      url: `${input.scheme ?? 'http'}://${host}:${input.port}`,
      kind: 'lan',
    })
  }
  return { urls, loopbackOnly }
}

// ---------------------------------------------------------------- bulk reissue

export const BULK_REISSUE_MAX = 2000

/** Whom a bulk reissue names (validated by `bulkReissueSchema` in cards-schemas.ts). */
export interface PeopleSelection {
  /** Everyone not revoked. Must be said explicitly: an empty selection never means everyone. */
  all?: true
  /** People whose region lies in this code: a kecamatan takes its desa reporters and officers. */
  region?: string
  role?: Role
  ids?: string[]
}

export interface SelectablePerson {
  id: string
  role: string
  region: string
  revokedAt: string | null
}

/** Whole segments: `35.09.1` is not inside `35.09.19`. */
const within = (code: string, ancestor: string) =>
  code === ancestor || code.startsWith(`${ancestor}.`)

/** Who a selection names: never a revoked person (a bulk run must not bring a revoked code back). */
export function selectPeople<P extends SelectablePerson>(people: P[], s: PeopleSelection): P[] {
  const ids = s.ids ? new Set(s.ids) : null
  return people.filter(
    (p) =>
      !p.revokedAt &&
      (!ids || ids.has(p.id)) &&
      (s.role === undefined || p.role === s.role) &&
      (s.region === undefined || s.region === '' || within(p.region, s.region)),
  )
}
