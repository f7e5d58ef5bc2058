import { existsSync, readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import express, { type NextFunction, type Request, type Response } from 'express'
import type { DeskService } from '../service/desk-service'
import { DeskError, RateLimited } from '../service/errors'
import type { Principal } from '../service/principal'
import type { Authenticator } from './auth'
import {
  clientAddress,
  DEFAULT_STAFF_NETWORKS,
  NO_NETWORKS,
  normaliseAddress,
  parseNetworks,
  resolveClientAddress,
  setClientAddress,
  type NetworkList,
} from './client-address'
import type { Logger } from './logger'
import { RateLimiter } from './rate-limit'
import type { FeatureRouter } from './features'
import { LeanRoutes, sendJson, type LeanPlumbing } from './lean'
import { createRouteContext } from './routes'
import { UploadReader } from './upload-reader'
import { createSseHub, DEFAULT_SSE_LIMITS, type SseHub, type SseLimits } from './sse'

export interface ServerLimits {
  /** Requests per second (and burst) per signed-in principal. The admin token is not limited. */
  perPrincipal: { rate: number; burst: number }
  /** Requests per second (and burst) per address for requests without a valid token. */
  perAddress: { rate: number; burst: number }
}

export const DEFAULT_LIMITS: ServerLimits = {
  perPrincipal: { rate: 20, burst: 200 },
  perAddress: { rate: 20, burst: 100 },
}

export interface ServerDeps {
  service: DeskService
  auth: Authenticator
  logger: Logger
  /** The features' APIs (the core first), mounted under /api/v1 in this order: see createDesk. */
  routers: FeatureRouter[]
  /** The built UI (out/renderer); when absent only the API is served. */
  staticDir?: string
  limits?: ServerLimits
  version?: string
  /** How often open event streams get a ping (default 15 s). */
  sseHeartbeatMs?: number
  /** Reverse proxies whose X-Forwarded-For / Forwarded is believed (default: none). */
  trustProxy?: NetworkList
  /** How uploaded tables are read (default: a worker thread per file with the limits in tables.ts). */
  uploads?: UploadReader
  /** Caps and paging of the event stream (defaults in sse.ts). */
  sseLimits?: Partial<SseLimits>
}

export interface DeskServer {
  app: express.Express
  sse: SseHub
  handler: DeskRequestListener
}

/**
 * What the desk's HTTP(S) server runs for each request: `app`, but for the lean routes' plain
 * form (lean.ts). It carries the app, so a test or proof can list the routes the server answers.
 */
export type DeskRequestListener = ((req: IncomingMessage, res: ServerResponse) => void) & {
  readonly app: express.Express
  /**
   * For the server's `connection` event: while connections keep arriving, the event streams'
   * pacing does less per turn, so the turns that accept them stay short (sse-pacing.ts).
   */
  readonly accepted: () => void
}

/**
 * Requests one connection may have unanswered at once (pipelined): more, and the connection is
 * closed. An open event stream counts as one for as long as it is open.
 */
export const MAX_UNANSWERED_PER_CONNECTION = 8

/** The event stream's own path, exactly (any other spelling goes through express's queue). */
const isEventsPath = (url: string | undefined): boolean =>
  url !== undefined &&
  url.startsWith('/api/v1/events') &&
  (url.length === 14 || url.charCodeAt(14) === 0x3f) /* ? */

// The UI is ours and local: nothing from other origins, no inline script, no framing.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

const ASSET_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json',
}

/**
 * Built assets gzipped once and kept in memory: the reporter form is ~3x smaller on the wire,
 * which matters on a weak signal at dusk. Only plain file names under /assets (no traversal).
 */
function gzippedAssets(dir: string) {
  const cache = new Map<string, Buffer | null>()
  return (req: Request, res: Response, next: NextFunction) => {
    const m = /^\/[\w.-]+\.(js|css|svg|json)$/.exec(req.path)
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      !m ||
      !/\bgzip\b/.test(req.get('accept-encoding') ?? '')
    ) {
      return next()
    }
    let body = cache.get(req.path)
    if (body === undefined) {
      const file = join(dir, req.path)
      body = existsSync(file) ? gzipSync(readFileSync(file), { level: 9 }) : null
      cache.set(req.path, body)
    }
    if (!body) return next()
    res.set({
      'Content-Type': ASSET_TYPES[m[1]!]!,
      'Content-Encoding': 'gzip',
      'Cache-Control': 'public, max-age=31536000, immutable',
      Vary: 'Accept-Encoding',
    })
    res.end(body)
  }
}

/** Screens anyone may open: the phone form (and its service worker) and the public page. */
const PUBLIC_SCREENS = /^\/(?:assets\/.*|lapor(?:\/.*)?|lapor\.html|lapor-sw\.js|publik(?:\/.*)?)$/

const STAFF_ONLY_PAGE = `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Akses ditolak — Desk Pilkada</title></head>
<body style="font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.4rem">Layar ini hanya untuk staf desk</h1>
<p>Konsol, kredensial, rekap dan papan hanya bisa dibuka dari jaringan kantor desk.</p>
<p>Pelapor: buka <a href="/lapor">/lapor</a>. Masyarakat: lihat <a href="/publik">/publik</a>.</p>
</body></html>`

/**
 * Staff screens (console, /kredensial, /rekap, /papan and anything else but the phone form and
 * the public page) only to the staff networks: from the internet they are refused before any
 * UI loads. Their API calls are refused too (Authenticator), this only spares the confusion.
 */
function staffScreensGuard(staffNetworks: NetworkList) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      PUBLIC_SCREENS.test(req.path) ||
      staffNetworks.has(clientAddress(req))
    ) {
      return next()
    }
    res
      .status(403)
      .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .send(STAFF_ONLY_PAGE)
  }
}

const SECURITY_HEADERS: [string, string][] = [
  ['Content-Security-Policy', CSP],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(self), microphone=(), geolocation=()'],
]

/** The security headers every answer carries (express's and the lean routes' alike). */
function secure(res: ServerResponse): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value)
}

/** An error answer: always the same shape, so a client can read `fields` without checking. */
export function sendError(res: ServerResponse, err: DeskError): void {
  // "Busy, ask again": a client (the phone's outbox, a script) knows when.
  if (err instanceof RateLimited) res.setHeader('Retry-After', String(err.seconds))
  else if (err.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '5')
  const error: Record<string, unknown> = {
    code: err.code,
    message: err.message,
    fields: err.fields ?? {},
  }
  if (err.rows) error.rows = err.rows
  sendJson(res, err.status, { error })
}

/** Any error as the desk answers it: its own errors as they are, the parsers' in its words, the rest 500 (logged). */
function answerError(res: ServerResponse, err: unknown, logger: Logger): void {
  if (err instanceof DeskError) return sendError(res, err)
  const e = err as { type?: string; status?: number; statusCode?: number }
  if (e.type === 'entity.parse.failed') {
    return sendError(res, new DeskError(400, 'bad_json', 'Isi permintaan bukan JSON yang sah'))
  }
  if (e.type === 'entity.too.large') {
    return sendError(
      res,
      new DeskError(413, 'too_large', 'Berkas atau isi permintaan terlalu besar'),
    )
  }
  const status = e.status ?? e.statusCode ?? 500
  if (status === 404) return sendError(res, new DeskError(404, 'not_found', 'Tidak ditemukan'))
  if (status >= 400 && status < 500) {
    // e.g. a static path that tries to climb out of the UI folder: refused, not a desk fault
    return sendError(res, new DeskError(status, 'bad_request', 'Permintaan tidak sah'))
  }
  logger.error('unhandled', { error: err instanceof Error ? err.message : String(err) })
  sendError(
    res,
    new DeskError(
      500,
      'internal',
      'Terjadi kesalahan di desk. Coba lagi; jika berulang, hubungi admin.',
    ),
  )
}

/** The express app of the desk. It never listens by itself: the host (or a test) does. */
export function createServer(deps: ServerDeps): DeskServer {
  const { service, auth, logger } = deps
  const limits = deps.limits ?? DEFAULT_LIMITS
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', false)
  app.set('etag', false)
  const sse = createSseHub(service, deps.sseHeartbeatMs, {
    ...DEFAULT_SSE_LIMITS,
    ...deps.sseLimits,
  })

  const trustProxy = deps.trustProxy ?? NO_NETWORKS
  // First of all: who is the client. Lockout, limits, the staff-network rule and every log use this.
  // A proxy on the office network forwarding clients while it is not in --trust-proxy: every client
  // then looks like the proxy — one lockout for all, and staff rights for the whole internet when
  // the proxy sits in the staff networks. Said once, on the terminal (docs/DEPLOY.md, way 1 step 3).
  const officeNetworks = parseNetworks(DEFAULT_STAFF_NETWORKS, 'loopback,private')
  let warnedUntrustedProxy = false
  const identify = (req: IncomingMessage): string => {
    const address = resolveClientAddress(req.socket.remoteAddress, req.headers, trustProxy)
    setClientAddress(req, address)
    if (!warnedUntrustedProxy && (req.headers['x-forwarded-for'] || req.headers.forwarded)) {
      const peer = normaliseAddress(req.socket.remoteAddress ?? 'unknown')
      if (!trustProxy.has(peer) && officeNetworks.has(peer)) {
        warnedUntrustedProxy = true
        logger.warn('proxy.untrusted', {
          peer,
          pesan: `${peer} meneruskan X-Forwarded-For tetapi tidak ada di --trust-proxy: semua kliennya terhitung sebagai ${peer} (satu kuncian untuk semua, dan hak staf bila ${peer} di jaringan staf). Bila itu reverse proxy desk, jalankan desk dengan --trust-proxy ${peer}.`,
        })
      }
    }
    return address
  }
  const logged: LeanPlumbing['logged'] = (req, res, path, started, who, ip) => {
    logger.info('http', {
      method: req.method,
      path, // never the query: it may carry a token for SSE
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      who,
      ip,
    })
  }
  const lean = new LeanRoutes({
    identify,
    secure,
    logged,
    fail: (res, err) => answerError(res, err, logger),
  })

  app.use((req, _res, next) => {
    identify(req)
    next()
  })
  app.use((_req, res, next) => {
    secure(res)
    next()
  })
  // Before sign-in and the routers: a burst of stream openings waits here, a few let on per turn.
  app.use('/api/v1/events', sse.admit)
  app.use((req, res, next) => {
    const started = process.hrtime.bigint()
    // Taken now: routers mounted under /api/v1 shorten req.path while they run.
    const path = req.path
    res.on('finish', () => {
      // An open stream ends when its client leaves, hours later: not a request to log. Its
      // refusals (401, 429, 503 …) are.
      if (path === '/api/v1/events' && res.statusCode === 200) return
      logged(
        req,
        res,
        path,
        started,
        (res.locals.principal as Principal | undefined)?.id,
        clientAddress(req),
      )
    })
    next()
  })

  const principalLimiter = new RateLimiter(limits.perPrincipal.rate, limits.perPrincipal.burst)
  const addressLimiter = new RateLimiter(limits.perAddress.rate, limits.perAddress.burst)

  const uploads = deps.uploads ?? new UploadReader()
  const ctx = createRouteContext({
    service,
    auth,
    sse,
    principalLimiter,
    addressLimiter,
    lean,
    version: deps.version ?? '0.0.0',
    uploads,
  })
  for (const router of deps.routers) app.use('/api/v1', router(ctx))
  app.use('/api', (_req, res) =>
    sendError(res, new DeskError(404, 'not_found', 'Alamat API tidak dikenal')),
  )

  if (deps.staticDir && existsSync(join(deps.staticDir, 'index.html'))) {
    const dir = deps.staticDir
    // The UI declares no icon (index.html: rel="icon" data:,); a browser asking anyway gets a 404 it
    // may keep for a day, not the whole UI page under an icon's name.
    app.get('/favicon.ico', (_req, res) => {
      res.set('Cache-Control', 'public, max-age=86400')
      sendError(res, new DeskError(404, 'not_found', 'Tidak ditemukan'))
    })
    app.use(staffScreensGuard(auth.staffNetworks))
    app.use('/assets', gzippedAssets(join(dir, 'assets')))
    app.use(
      '/assets',
      express.static(join(dir, 'assets'), {
        immutable: true,
        maxAge: '365d',
        index: false,
        fallthrough: false,
      }),
    )
    app.use(express.static(dir, { index: false, maxAge: 0 }))
    // Every screen is a route of the one UI; the reporter form is its own light bundle.
    const hasLapor = existsSync(join(dir, 'lapor.html'))
    app.get(/^\/(?!api\/).*/, (req, res) => {
      res.set('Cache-Control', 'no-cache')
      const lapor = hasLapor && (req.path === '/lapor' || req.path.startsWith('/lapor/'))
      // Relative to `root`: a UI built under a dot-folder (tests/.artifacts) must not read as a hidden file.
      res.sendFile(lapor ? 'lapor.html' : 'index.html', { root: dir })
    })
  }

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    answerError(res, err, logger)
  })

  // The request listener: the hot route's plain form answered lean (lean.ts), the rest by express.
  // A stream opening on the desk's own path waits its turn before express (sse-pacing.ts): in a
  // burst of them, reading one costs only node's parsing.
  // Requests each connection has unanswered. Browsers, EventSource and proxies send one at a
  // time; a client pipelining hundreds in one packet (node parses them all in one turn) is cut off.
  const unanswered = new WeakMap<Socket, number>()
  const handler = Object.assign(
    (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket
      // Cut off below, or gone: the requests node still parsed from its last packet go unanswered.
      if (socket.destroyed) return
      const n = (unanswered.get(socket) ?? 0) + 1
      if (n > MAX_UNANSWERED_PER_CONNECTION) {
        socket.destroy()
        return
      }
      unanswered.set(socket, n)
      // An answer that never finishes is on a connection that goes (its count goes with it), or
      // an open stream, which counts for as long as it is open.
      res.once('finish', () => unanswered.set(socket, (unanswered.get(socket) ?? 1) - 1))
      if (lean.dispatch(req, res)) return
      if (isEventsPath(req.url) && sse.early(req, res, () => app(req, res))) return
      app(req, res)
    },
    { app, accepted: sse.accepted },
  )
  return { app, sse, handler }
}
