import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import QRCode from 'qrcode'
import { isLoopbackHost } from '../shared/cards'
import type { LanDto } from '../shared/console'
import { discoveryOff, type DiscoveryState } from './discovery'

/** Every non-internal IPv4 address of this machine, by interface, in a stable order. */
export function lanAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): { interface: string; address: string }[] {
  const out: { interface: string; address: string }[] = []
  for (const [name, list] of Object.entries(interfaces)) {
    for (const info of list ?? []) {
      const v4 = info.family === 'IPv4' || (info.family as unknown) === 4
      if (v4 && !info.internal) out.push({ interface: name, address: info.address })
    }
  }
  return out.sort(
    (a, b) => a.interface.localeCompare(b.interface) || a.address.localeCompare(b.address),
  )
}

async function qr(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

const qrCache = new Map<string, Promise<string>>()
function cachedQr(url: string): Promise<string> {
  let p = qrCache.get(url)
  if (!p) {
    if (qrCache.size > 64) qrCache.clear()
    qrCache.set(url, (p = qr(url)))
  }
  return p
}

export interface LanAnswerInput {
  host: string
  port: number
  counts: Record<string, number>
  activeReporters: number
  discovery: DiscoveryState | null
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>
  scheme?: 'http' | 'https'
}

/** What the LAN screen shows: where phones and boards reach the desk, and who is connected now. */
export async function lanAnswer(input: LanAnswerInput): Promise<LanDto> {
  const wildcard = input.host === '0.0.0.0' || input.host === '::'
  const all = lanAddresses(input.interfaces)
  // Bound to one address: only that one serves. Bound to loopback: nothing on the LAN does, but
  // the addresses are still listed so the operator sees what to restart with.
  const serving =
    wildcard || isLoopbackHost(input.host) ? all : all.filter((a) => a.address === input.host)
  const list =
    serving.length > 0 || wildcard || isLoopbackHost(input.host)
      ? serving
      : [{ interface: '?', address: input.host }]
  const addresses = await Promise.all(
    list.map(async (a) => {
      const url = `${input.scheme ?? 'http'}://${a.address}:${input.port}`
      return {
        interface: a.interface,
        address: a.address,
        url,
        laporUrl: `${url}/lapor`,
        papanUrl: `${url}/papan`,
        laporQr: await cachedQr(`${url}/lapor`),
        papanQr: await cachedQr(`${url}/papan`),
      }
    }),
  )
  const byRole = input.counts
  const consoles = (byRole.operator ?? 0) + (byRole.supervisor ?? 0) + (byRole.admin ?? 0)
  return {
    host: input.host,
    port: input.port,
    reachable: !isLoopbackHost(input.host),
    addresses,
    // No "phones" count: /lapor holds no live stream, so reporters are counted by what they send
    // (activeReporters), not by open connections.
    connected: { boards: (byRole.display ?? 0) + (byRole.public ?? 0), consoles, byRole },
    activeReporters: input.activeReporters,
    discovery: input.discovery ?? discoveryOff(),
  }
}
