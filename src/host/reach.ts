import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'

/**
 * Every URL the desk can be reached at, for the start-up lines: listening on 0.0.0.0 (or ::) that
 * is each non-internal interface address (phones cannot open 127.0.0.1), plus this machine's
 * loopback last; bound to one address, only that one.
 */
export function reachableUrls(
  host: string,
  port: number,
  scheme: 'http' | 'https',
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const url = (address: string) =>
    `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`
  if (host !== '0.0.0.0' && host !== '::') return [url(host)]
  const out: string[] = []
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal) continue
      const v4 = info.family === 'IPv4' || (info.family as unknown) === 4
      // Link-local IPv6 needs a zone id no phone's browser takes.
      if (v4 || (host === '::' && !info.address.toLowerCase().startsWith('fe80:')))
        out.push(url(info.address))
    }
  }
  return [...new Set(out), url('127.0.0.1')]
}
