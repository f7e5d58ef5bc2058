import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { BlockList, isIPv4, isIPv6 } from 'node:net'
import type { PrincipalRole as Role } from '../shared/schemas'

/**
 * Who is on the other end of a request. Behind a reverse proxy every request comes from the proxy,
 * so lockout, rate limits and the logs would treat all reporters (or all citizens) as one. The
 * desk takes the client's address from X-Forwarded-For / Forwarded — but only from peers the admin
 * listed as proxies (`--trust-proxy`): from anyone else those headers are the client's own words
 * and would let one guesser pose as a thousand addresses.
 */

/** A set of addresses/CIDRs (IPv4 and IPv6; IPv4-mapped IPv6 addresses count as their IPv4). */
export interface NetworkList {
  /** The entries as given (normalised), for messages and `--help`. */
  readonly entries: readonly string[]
  has(address: string): boolean
}

/** Loopback and the private ranges (RFC 1918, unique-local and link-local IPv6, link-local IPv4). */
export const LOOPBACK_NETWORKS = ['127.0.0.0/8', '::1/128']
export const PRIVATE_NETWORKS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
]
export const DEFAULT_STAFF_NETWORKS = [...LOOPBACK_NETWORKS, ...PRIVATE_NETWORKS]

/** `::ffff:10.0.0.5` → `10.0.0.5`; IPv6 zone ids dropped; anything else unchanged. */
export function normaliseAddress(address: string): string {
  let a = address.trim()
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a)
  if (mapped) return mapped[1]!
  const zone = a.indexOf('%')
  if (zone > 0 && isIPv6(a.slice(0, zone))) a = a.slice(0, zone)
  return a.toLowerCase()
}

export class NetworkListError extends Error {}

const MEMO_SIZE = 4096

/**
 * Parse "10.0.0.0/8, 192.168.1.10, ::1, fd00::/8" (also the words `loopback` and `private`).
 * `field` names the flag in the error, e.g. `--trust-proxy`.
 */
export function parseNetworks(list: string | readonly string[], field: string): NetworkList {
  const items = (typeof list === 'string' ? list.split(',') : list)
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const block = new BlockList()
  const entries: string[] = []
  const add = (item: string) => {
    const slash = item.indexOf('/')
    const addr = normaliseAddress(slash >= 0 ? item.slice(0, slash) : item)
    const family = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : null
    if (!family)
      throw new NetworkListError(
        `${field}: "${item}" bukan alamat IP atau CIDR (contoh: 10.0.0.5, 192.168.0.0/16, fd00::/8).`,
      )
    const max = family === 'ipv4' ? 32 : 128
    let prefix = max
    if (slash >= 0) {
      const p = item.slice(slash + 1)
      // An IPv4-mapped CIDR (::ffff:10.0.0.0/104) is the IPv4 network /8.
      const mappedOffset = family === 'ipv4' && /^::ffff:/i.test(item) ? 96 : 0
      prefix = /^\d{1,3}$/.test(p) ? Number(p) - mappedOffset : NaN
      if (!(prefix >= 0 && prefix <= max)) {
        throw new NetworkListError(
          `${field}: panjang prefiks "${p}" pada "${item}" tidak sah (IPv4 0–32, IPv6 0–128).`,
        )
      }
    }
    block.addSubnet(addr, prefix, family)
    entries.push(prefix === max ? addr : `${addr}/${prefix}`)
  }
  for (const item of items) {
    const word = item.toLowerCase()
    if (word === 'loopback') LOOPBACK_NETWORKS.forEach(add)
    else if (word === 'private') PRIVATE_NETWORKS.forEach(add)
    else add(item)
  }
  // Every staff request asks about its address; the answer for an address never changes, so it is
  // remembered (a BlockList check builds a SocketAddress each time). Bounded: forgotten wholesale
  // past MEMO_SIZE addresses, so a flood of addresses costs only the uncached checks.
  const memo = new Map<string, boolean>()
  return {
    entries,
    has(address: string) {
      const known = memo.get(address)
      if (known !== undefined) return known
      const a = normaliseAddress(address)
      const inList = isIPv4(a) ? block.check(a, 'ipv4') : isIPv6(a) ? block.check(a, 'ipv6') : false
      if (memo.size >= MEMO_SIZE) memo.clear()
      memo.set(address, inList)
      return inList
    },
  }
}

export const NO_NETWORKS: NetworkList = { entries: [], has: () => false }

/** An address from a forwarding header: drop quotes, `[…]` and a port; null if it is not an IP. */
function hopAddress(raw: string): string | null {
  let s = raw.trim().replace(/^"|"$/g, '')
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(s)
  if (bracket) s = bracket[1]!
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'))
  const a = normaliseAddress(s)
  return isIPv4(a) || isIPv6(a) ? a : null
}

/** The `for=` hops of RFC 7239 `Forwarded`, left (client) to right (nearest proxy). */
function forwardedFor(header: string): (string | null)[] {
  const hops: (string | null)[] = []
  for (const element of header.split(',')) {
    const pair = element
      .split(';')
      .map((p) => p.trim())
      .find((p) => /^for=/i.test(p))
    hops.push(pair ? hopAddress(pair.slice(4)) : null)
  }
  return hops
}

/** The client's address when a trusted proxy's chain cannot be read: not an IP, so in no network. */
export const UNREADABLE_CLIENT = 'unknown'

/**
 * The client's address. Only when the peer is a trusted proxy is the forwarding chain read, and then
 * from the right: each hop a trusted proxy appended is skipped until the first address that is not
 * a trusted proxy — everything left of that was written by the client and may be forged.
 * `X-Forwarded-For` wins over `Forwarded` (nginx appends to the former and passes the latter on
 * untouched, so a client could forge it); a hop that is not an IP address stops the walk.
 */
export function resolveClientAddress(
  peer: string | undefined,
  headers: IncomingHttpHeaders,
  trusted: NetworkList,
): string {
  const from = normaliseAddress(peer ?? 'unknown')
  if (!trusted.has(from)) return from
  const xff = headers['x-forwarded-for']
  const fwd = headers.forwarded
  let chain: (string | null)[] = []
  if (xff) chain = (Array.isArray(xff) ? xff.join(',') : xff).split(',').map(hopAddress)
  else if (fwd) chain = forwardedFor(Array.isArray(fwd) ? fwd.join(',') : fwd)
  let client = from
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i]
    // A hop that is not an address ends the walk. Before any hop outside the trusted proxies was
    // read, the client is not known: it counts as an outside address (no staff rights, its own
    // lockout and limits), never as the proxy — or every request a proxy mangles would be staff.
    if (!hop) return trusted.has(client) ? UNREADABLE_CLIENT : client
    client = hop
    if (!trusted.has(hop)) break
  }
  return client
}

// The address is resolved once per request (in the app's first middleware) and read by routes,
// guards and logs alike; a WeakMap keeps it off the request object's public shape.
const resolved = new WeakMap<IncomingMessage, string>()

export function setClientAddress(req: IncomingMessage, address: string): void {
  resolved.set(req, address)
}

export function clientAddress(req: IncomingMessage): string {
  return resolved.get(req) ?? normaliseAddress(req.socket.remoteAddress ?? 'unknown')
}

/** Roles whose credentials work only from the staff networks (a leaked operator code is useless outside). */
export const STAFF_ROLES: readonly Role[] = ['operator', 'supervisor', 'display', 'admin']

export function isStaffRole(role: Role): boolean {
  return STAFF_ROLES.includes(role)
}

/** May this role act from this (resolved) address? Reporters work from anywhere. */
export function staffNetworkAllows(
  role: Role,
  address: string,
  staffNetworks: NetworkList,
): boolean {
  return !isStaffRole(role) || staffNetworks.has(address)
}

export const STAFF_NETWORK_MESSAGE =
  'Akses ditolak: akun dan layar staf (konsol, kredensial, rekap, papan) hanya bisa dipakai dari jaringan kantor desk. Pelapor tetap memakai /lapor.'
