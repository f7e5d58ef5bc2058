import type { Router } from 'express'
import type { LanDto } from '../shared/console'
import type { RouteContext } from './routes'

/**
 * One feature of the desk: its service (what other features, the host and the CLIs call) and its
 * API. Each feature's routes file exports `createX(core, deps?)`, the only place its service is
 * built; createDesk (src/host/desk.ts) calls them in one list, passes each the other features it
 * needs, and hands the routers to createServer, which mounts them under /api/v1 in that order.
 */
export interface Feature<S> {
  service: S
  router: FeatureRouter
}

/**
 * A feature's API, built by createServer: the route context holds what only the app makes (auth
 * guards, rate limits, the event stream hub).
 */
export type FeatureRouter = (ctx: RouteContext) => Router

/**
 * The desk as the LAN sees it. Only the host knows it (the bound address, the port once listening,
 * bonjour), so the host hands it to the features that show it: the console's LAN screen and the
 * credential cards' addresses.
 */
export interface DeskReach {
  /** Where the desk listens; null until it does (the request's own socket answers then). */
  listening(): { host: string; port: number; scheme: 'http' | 'https' } | null
  /** This machine's LAN IPv4 addresses, by interface. */
  lanAddresses(): { interface: string; address: string }[]
  /** The console's LAN screen: each address with its QR codes, who is connected, discovery. */
  lanScreen(input: {
    host: string
    port: number
    scheme?: 'http' | 'https'
    counts: Record<string, number>
    activeReporters: number
  }): Promise<LanDto>
}
