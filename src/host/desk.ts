import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  chmodSync,
} from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ElectionConfig } from '../domain/election'
import { startDiscovery, type BonjourLike, type Discovery } from '../discovery/discovery'
import { lanAddresses, lanAnswer } from '../discovery/lan'
import { createServer, type ServerLimits } from '../server/app'
import { Authenticator } from '../server/auth'
import { createBackup } from '../server/backup-routes'
import { createBoard } from '../server/board-routes'
import { createCards } from '../server/cards-routes'
import { createConsole } from '../server/console-routes'
import { createExport } from '../server/export-routes'
import type { DeskReach } from '../server/features'
import { createIntake } from '../server/intake-routes'
import { createPhoneSync } from '../server/phone-sync-routes'
import { createPurge } from '../server/purge-routes'
import { createCoreApi } from '../server/routes'
import { createSms } from '../server/sms-routes'
import {
  DEFAULT_STAFF_NETWORKS,
  NetworkListError,
  NO_NETWORKS,
  parseNetworks,
} from '../server/client-address'
import type { Logger } from '../server/logger'
import type { SseLimits } from '../server/sse'
import { FailureBudget, Lockout } from '../server/rate-limit'
import { deskLog } from './desk-log'
import type { BackupOptions, BackupService } from '../service/backup-service'
import type { BoardService } from '../service/board-service'
import type { CardsService } from '../service/cards-service'
import type { ConsoleService } from '../service/console-service'
import type { DeskCore } from '../service/core'
import { generateAdminToken } from '../service/credentials'
import { DeskService } from '../service/desk-service'
import { DeskError } from '../service/errors'
import { ResultLedger } from '../service/ledger'
import type { ExportService } from '../service/export-service'
import type { IntakeService } from '../service/intake-service'
import type { PhoneSyncService } from '../service/phone-sync-service'
import type { PurgeService } from '../service/purge-service'
import { isLoopbackHost, parsePublicUrl } from '../shared/cards'
import { AndroidSender } from '../service/sms-android'
import { GammuFilesGateway, GammuFolderError } from '../service/sms-gammu'
import type { SmsService } from '../service/sms-service'
import { openDatabase } from '../store/db'
import { rememberedSettings } from '../store/remembered'
import { SmsStore } from '../store/sms-store'
import { DeskStore } from '../store/store'
import { bundledBoundaries } from './boundaries-source'
import { defaultElection } from './election-source'
import { DEFAULT_REGENCY, loadRegency } from './regions-source'
import { reachableUrls } from './reach'
import { loadTls } from './tls'
import type { Durability } from '../store/wal-sync'
import pkg from '../../package.json'

export const DEFAULT_PORT = 4046

export interface DeskOptions {
  dataDir: string
  port?: number
  host?: string
  regency?: string
  /** Administrator token; otherwise read from / generated into `<dataDir>/admin-token`. */
  adminToken?: string
  /** Training desk (mode latihan): must have a data dir of its own. */
  training?: boolean
  electionFile?: string
  election?: ElectionConfig
  staticDir?: string | null
  logger?: Logger
  limits?: ServerLimits
  lockout?: Lockout
  now?: () => Date
  /** A better-sqlite3 build for Electron's ABI (set by the Electron shell). */
  nativeBinding?: string
  /**
   * LAN discovery (bonjour): on by default when listening beyond loopback; `false` turns it off,
   * `{ bonjour }` injects a fake (tests need no multicast).
   */
  discovery?: false | { bonjour?: () => BonjourLike }
  /** Most jobs per commit; 1 turns group commit off (the baseline of bench/intake.ts). */
  writerMaxBatch?: number
  /** How commits are made durable (tests pass a disk they control); see DeskServiceOptions. */
  durability?: Durability | null
  sseHeartbeatMs?: number
  /**
   * The address the field reaches the desk at (`--public-url`, e.g. the regency's reverse proxy):
   * printed on reporters' cards and in their QR codes. The admin may set another at run time.
   */
  publicUrl?: string
  /** Results by SMS (issue 15): either gateway, both or none. */
  sms?: SmsOptions
  /** HTTPS: certificate and private key files (PEM). Both or neither. */
  tlsCert?: string
  tlsKey?: string
  /** With TLS: a plain HTTP port that only redirects to the HTTPS address. */
  httpRedirectPort?: number
  /** Reverse proxies (addresses/CIDRs) whose X-Forwarded-For / Forwarded is believed. Default: none. */
  trustProxy?: string[]
  /** Where staff credentials and screens work (addresses/CIDRs). Default: loopback and private ranges. */
  staffNetworks?: string[]
  /** Desk-wide budget of failed sign-ins (default 300 per 10 minutes). */
  failureBudget?: FailureBudget
  sseLimits?: Partial<SseLimits>
  /** Online backups into this folder (a second disk, a USB stick); none when unset. */
  backupDir?: string
  /** Seconds between backups (default 60); one is also taken after every snapshot freeze. */
  backupIntervalSeconds?: number
}

export interface SmsOptions {
  /** Gammu SMSD, files backend: its inbox and outbox folders (`--sms-gammu-inbox`, `--sms-gammu-outbox`). */
  gammu?: { inbox: string; outbox: string; pollMs?: number; settleMs?: number }
  /** SMS Gateway for Android, local server (`--sms-android-url/-user/-password/-signing-key`). */
  android?: {
    url: string
    user: string
    password: string
    signingKey?: string
    allowUnsigned?: boolean
    fetch?: typeof fetch
  }
}

export interface Desk {
  url: string
  /** Every URL the desk can be reached at (LAN addresses first, this machine last). */
  urls: string[]
  /** The redirecting plain-HTTP port, when `httpRedirectPort` was given. */
  redirectPort: number | null
  port: number
  host: string
  adminToken: string
  /** True when this start generated the admin token (print it once). */
  adminTokenGenerated: boolean
  adminTokenFile: string
  service: DeskService
  /** The desk's statements: the host owns them (tests read what was stored); routers never see them. */
  store: DeskStore
  /** The result ledger (tests drive it directly); like the store, the host's, never a router's. */
  ledger: ResultLedger
  /** Every feature's service, as createDesk wired them. */
  features: DeskFeatures
  server: Server
  /**
   * A display-scoped code for the desktop app's own board window (the window never holds the
   * admin token): one display account, its code reissued at each call, so only the newest works.
   */
  shellDisplayCode(): Promise<string>
  /** The gammu files gateway when configured (tests drive its `scan()`). */
  gammu: GammuFilesGateway | null
  /** When the TLS certificate stops being valid (null without TLS). */
  tlsValidTo: Date | null
  /**
   * Where the console's LAN screen and the cards say the desk listens (what the features' DeskReach
   * answers). Tests on loopback set `host` to '0.0.0.0' to see what a desk on every interface offers.
   */
  lan: { host: string; port: number; scheme: 'http' | 'https' }
  /** The name this desk advertises on the LAN (bonjour), null when it does not: not "another desk". */
  advertisedAs: string | null
  /** The request log (JSON lines, rotated) when the desk keeps its own; null when a logger was given. */
  logFile: string | null
  /** The backups of this desk, when started with `backupDir`. */
  backups: BackupService | null
  close(): Promise<void>
}

/** The display account the desktop app's board window signs in with. */
export const SHELL_DISPLAY_NAME = 'Papan dinding (jendela aplikasi desk)'

function findStaticDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url))
  // Built, this module sits in out/main/ or in a chunk shared by the CLI and Electron (out/main/chunks/).
  for (const candidate of [
    join(here, '..', 'renderer'),
    join(here, '..', '..', 'renderer'),
    join(here, '..', '..', 'out', 'renderer'),
  ]) {
    // Run from the sources (tsx src/host/cli.ts), src/renderer/ holds the UI's *source* index.html:
    // only a built UI (with its assets/) is served.
    if (existsSync(join(candidate, 'index.html')) && existsSync(join(candidate, 'assets')))
      return candidate
  }
  return undefined
}

const MIN_ADMIN_TOKEN = 16

function adminTokenFrom(
  dataDir: string,
  given?: string,
): { token: string; generated: boolean; file: string } {
  const file = join(dataDir, 'admin-token')
  if (given) return { token: given, generated: false, file }
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim()
    if (token.length >= MIN_ADMIN_TOKEN) return { token, generated: false, file }
  }
  const token = generateAdminToken()
  writeFileSync(file, token + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return { token, generated: true, file }
}

/** One desk per data dir: a second process would be a second writer. */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'desk.lock')
  const take = () => {
    const fd = openSync(file, 'wx', 0o600)
    writeFileSync(fd, String(process.pid))
    closeSync(fd)
  }
  try {
    take()
  } catch {
    const pid = Number(readFileSync(file, 'utf8').trim())
    let alive = false
    if (pid === process.pid) alive = true
    else if (pid > 0) {
      try {
        process.kill(pid, 0)
        alive = true
      } catch {
        alive = false
      }
    }
    if (alive)
      throw new Error(
        `Desk lain (proses ${pid}) sedang memakai folder data ${dataDir}. Hentikan dulu, atau pakai folder lain.`,
      )
    unlinkSync(file)
    take()
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file)
    } catch {
      // already gone
    }
  }
}

/** An open data dir: the core every feature shares, and how to close it again. */
export interface OpenDesk {
  dataDir: string
  core: DeskCore
  service: DeskService
  store: DeskStore
  unlock: () => void
  /** Commit what the writer holds, close the database, release the data dir's lock. */
  close(): Promise<void>
}

/**
 * Empty a training desk's data dir (the demo starts afresh each time). A missing or empty folder
 * passes; a folder that is not a desk, a real desk's folder, or one a running desk holds (the lock
 * createDesk takes, held here while the folder goes) is refused and left as it is.
 */
export function wipeTrainingDataDir(dataDir: string): void {
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) return
  const dbFile = join(dataDir, 'desk.sqlite')
  if (!existsSync(dbFile)) {
    throw new Error(
      `${dataDir} tidak kosong dan bukan folder data desk; demo tidak akan menghapusnya. Pilih --data-dir lain.`,
    )
  }
  const unlock = lockDataDir(dataDir)
  try {
    if (rememberedSettings(dbFile).training !== true) {
      throw new Error(
        `${dataDir} berisi data desk SUNGGUHAN (bukan latihan); demo tidak akan menghapusnya. Pilih --data-dir lain.`,
      )
    }
    rmSync(dataDir, { recursive: true, force: true })
  } finally {
    unlock()
  }
}

/**
 * Open the data dir and build the core (no network, no features). Used by `createDesk` and by the
 * offline CLI verbs, which then build the one feature they need with its create function.
 */
export function openDesk(
  options: Pick<
    DeskOptions,
    | 'dataDir'
    | 'regency'
    | 'training'
    | 'electionFile'
    | 'election'
    | 'now'
    | 'nativeBinding'
    | 'writerMaxBatch'
    | 'durability'
  >,
): OpenDesk {
  const dataDir = resolve(options.dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const unlock = lockDataDir(dataDir)
  try {
    const regions = loadRegency(options.regency ?? DEFAULT_REGENCY)
    const db = openDatabase(
      join(dataDir, 'desk.sqlite'),
      options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
    )
    // Reporters' names and phones live here: readable by the desk's own user only.
    for (const f of ['desk.sqlite', 'desk.sqlite-wal', 'desk.sqlite-shm']) {
      if (existsSync(join(dataDir, f))) chmodSync(join(dataDir, f), 0o600)
    }
    const store = new DeskStore(db, options.now)
    const smsStore = new SmsStore(db)
    const ledger = new ResultLedger(store)
    let service: DeskService
    try {
      service = new DeskService({
        store,
        smsStore,
        ledger,
        regions,
        defaultElection: options.election ?? defaultElection(regions, options.electionFile),
        training: options.training ?? false,
        dataDir,
        bundledBoundaries: bundledBoundaries(regions.regency.code),
        ...(options.writerMaxBatch ? { writerMaxBatch: options.writerMaxBatch } : {}),
        ...(options.durability !== undefined ? { durability: options.durability } : {}),
      })
    } catch (e) {
      db.close()
      throw e
    }
    return {
      dataDir,
      core: { desk: service, store, smsStore, ledger },
      service,
      store,
      unlock,
      async close() {
        await service.drainWrites()
        service.closeWrites()
        store.db.close()
        unlock()
      },
    }
  } catch (e) {
    unlock()
    throw e
  }
}

/** Every feature's service, by name, as createDesk wired them (the CLI and tests reach them here). */
export interface DeskFeatures {
  sms: SmsService
  intake: IntakeService
  console: ConsoleService
  board: BoardService
  export: ExportService
  cards: CardsService
  phoneSync: PhoneSyncService
  /** Null when the desk runs without a backup folder. */
  backup: BackupService | null
  purge: PurgeService
}

/**
 * The desk's features, wired here and nowhere else: each create function builds its service (the
 * only place it is built) and its API, and what a feature takes from another is passed below by
 * name. Read top to bottom, this is what a desk is made of (docs/ARCHITECTURE.md, "Features").
 */
function wireFeatures(
  core: DeskCore,
  deps: { publicUrl: string | null; reach: DeskReach; backup: BackupOptions | null },
) {
  const sms = createSms(core)
  const intake = createIntake(core)
  const api = createCoreApi(core, { sms: sms.service })
  const board = createBoard(core)
  const consoleFeature = createConsole(core, {
    // Review screens show the sheet's photos and the kecamatan's mark next to a result.
    evidence: intake.service.evidenceSource(),
    // The chase list shows each reporter's last SMS; a phoned-in entry handles a refused SMS.
    sms: sms.service,
    reach: deps.reach,
  })
  const exports = createExport(core)
  const cards = createCards(core, { publicUrl: deps.publicUrl, reach: deps.reach })
  const phoneSync = createPhoneSync(core)
  const backup = createBackup(core, deps.backup)
  const purge = createPurge(core)
  const features: DeskFeatures = {
    sms: sms.service,
    intake: intake.service,
    console: consoleFeature.service,
    board: board.service,
    export: exports.service,
    cards: cards.service,
    phoneSync: phoneSync.service,
    backup: backup.service,
    purge: purge.service,
  }
  return {
    features,
    // Mounted under /api/v1 in this order, the core first.
    routers: [
      api,
      board,
      consoleFeature,
      exports,
      intake,
      cards,
      phoneSync,
      sms,
      backup,
      purge,
    ].map((f) => f.router),
    // For the Authenticator: every request carrying a reporter's code passes the admin-set sign-in
    // window, not only the sign-in — except the writes a phone's outbox replays (results, photos,
    // incidents: `queued` routes): a report saved before closing time is still delivered after it.
    reporterGate: () => intake.service.assertReporterWindow(),
  }
}

/**
 * The plain-HTTP port next to HTTPS: every request gets a redirect to the same path over HTTPS and
 * nothing else (no API, no page). The host name is the one the client used when it is a plain name
 * or address — never a free-form string, so the redirect cannot be pointed elsewhere.
 *
 * Behind a forwarded port (docs/DEPLOY.md, way 2: public 443 → desk 4046, public 80 → desk 8080)
 * the desk's own HTTPS port is not the one the outside reaches: a client that asked for the public
 * URL's name (or sent no usable Host) goes to the public URL's origin — the flag's or the one the
 * admin set at run time. A LAN client typing the desk's LAN address keeps that address and the
 * desk's port.
 */
export function redirectToHttps(
  httpsPort: number,
  fallbackHost: string,
  publicUrl: () => string | null = () => null,
) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const given = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253})(?::\d{1,5})?$/.exec(
      req.headers.host ?? '',
    )
    const path = req.url && req.url.startsWith('/') && !req.url.startsWith('//') ? req.url : '/'
    const pub = publicUrl()
    const publicOrigin = pub && pub.startsWith('https://') ? new URL(pub) : null
    let location: string
    if (publicOrigin && (!given || given[1]!.toLowerCase() === publicOrigin.hostname)) {
      location = `${publicOrigin.origin}${path}`
    } else {
      const hostname = given
        ? given[1]!
        : fallbackHost.includes(':')
          ? `[${fallbackHost}]`
          : fallbackHost
      location = `https://${hostname}${httpsPort === 443 ? '' : `:${httpsPort}`}${path}`
    }
    res.writeHead(308, {
      Location: location,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'close',
    })
    res.end(`Desk Pilkada memakai HTTPS: ${location}\n`)
  }
}

/**
 * The composition root: store, service, HTTP server, listening. Started by `npm run serve` and by
 * Electron's main process alike.
 */
export async function createDesk(options: DeskOptions): Promise<Desk> {
  // A short admin token could be guessed over the LAN: refuse it before anything is opened.
  if (options.adminToken && options.adminToken.length < MIN_ADMIN_TOKEN) {
    throw new DeskError(
      400,
      'admin_token_short',
      `DESK_ADMIN_TOKEN terlalu pendek: paling sedikit ${MIN_ADMIN_TOKEN} karakter (atau kosongkan agar desk membuatnya sendiri).`,
    )
  }
  let publicUrl: string | null = null
  if (options.publicUrl !== undefined) {
    const r = parsePublicUrl(options.publicUrl, '--public-url')
    if ('error' in r) throw new DeskError(400, 'invalid', r.error, { publicUrl: r.error })
    publicUrl = r.url
  }
  // Network settings and certificate files are checked before the data dir is opened: a typo in
  // a flag stops the desk with one sentence, and nothing is locked or half-started.
  let trustProxy, staffNetworks
  try {
    trustProxy = options.trustProxy
      ? parseNetworks(options.trustProxy, '--trust-proxy')
      : NO_NETWORKS
    staffNetworks = parseNetworks(
      options.staffNetworks ?? DEFAULT_STAFF_NETWORKS,
      '--staff-networks',
    )
  } catch (e) {
    if (e instanceof NetworkListError) throw new DeskError(400, 'bad_network', e.message)
    throw e
  }
  const tls = options.tlsCert || options.tlsKey ? loadTls(options.tlsCert, options.tlsKey) : null
  if (options.httpRedirectPort !== undefined && !tls) {
    throw new DeskError(
      400,
      'redirect_without_tls',
      '--http-redirect-port hanya berarti bersama HTTPS: tambahkan --tls-cert dan --tls-key.',
    )
  }
  if (
    options.backupIntervalSeconds !== undefined &&
    !(Number.isFinite(options.backupIntervalSeconds) && options.backupIntervalSeconds >= 1)
  ) {
    throw new DeskError(
      400,
      'backup_interval',
      `--backup-interval harus angka detik ≥ 1, bukan "${String(options.backupIntervalSeconds)}"`,
    )
  }
  const opened = openDesk(options)
  const { dataDir, core, service, store } = opened
  // Requests go to a rotated file in the data folder; the terminal gets warnings and errors only.
  const ownLog = options.logger ? null : deskLog(dataDir)
  const logger: Logger = options.logger ?? ownLog!
  service.onDiskError = (error, recovered) => {
    if (recovered)
      logger.warn('disk.sync_failed', {
        error: error.message,
        pesan:
          'Sinkronisasi basis data ke disk gagal; data sudah diamankan lewat checkpoint. Periksa disk.',
      })
    else
      logger.error('disk.sync_failed', {
        error: error.message,
        pesan:
          'Sinkronisasi basis data ke disk gagal: desk tidak menerima tulisan baru. Periksa disk, lalu nyalakan ulang desk.',
      })
  }
  // Where the desk listens and what bonjour says: known once it listens, shown by two features.
  let listening: { host: string; port: number; scheme: 'http' | 'https' } | null = null
  let discovery: Discovery | null = null
  const reach: DeskReach = {
    listening: () => listening,
    lanAddresses: () => lanAddresses(),
    lanScreen: (input) => lanAnswer({ ...input, discovery: discovery?.state() ?? null }),
  }
  const { features, routers, reporterGate } = wireFeatures(core, {
    publicUrl,
    reach,
    backup: options.backupDir
      ? {
          dir: resolve(options.backupDir),
          ...(options.backupIntervalSeconds !== undefined
            ? { intervalSeconds: options.backupIntervalSeconds }
            : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
          logger,
        }
      : null,
  })
  // The SMS gateways are set up before the desk listens: a gammu folder it cannot use (or a bad
  // phone URL) stops the start here, with nothing left running and the data dir unlocked.
  let gammu: GammuFilesGateway | null
  try {
    gammu = setUpSms(features.sms, options.sms, logger, () => Date.parse(service.nowIso()))
  } catch (e) {
    await opened.close()
    await ownLog?.close()
    throw e instanceof GammuFolderError ? new DeskError(400, 'sms_gammu_folder', e.message) : e
  }
  const admin = adminTokenFrom(dataDir, options.adminToken)
  const auth = new Authenticator(
    service,
    admin.token,
    service.regions.regency.code,
    options.lockout,
    {
      staffNetworks,
      ...(options.failureBudget ? { failureBudget: options.failureBudget } : {}),
      // A lock is rare (five failures) and worth keeping: who was locked, from which address.
      // Audited, and the admin's lockout list hears of it (event `auth.locked`).
      onLock: (lock) => {
        logger.warn('auth.lockout', lock)
        void features.intake.lockouts.recordLock(lock).catch(() => {})
      },
      reporterGate,
    },
  )
  const staticDir = options.staticDir === null ? undefined : (options.staticDir ?? findStaticDir())
  const { handler, sse } = createServer({
    service,
    auth,
    logger,
    routers,
    ...(staticDir ? { staticDir } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.sseHeartbeatMs ? { sseHeartbeatMs: options.sseHeartbeatMs } : {}),
    ...(options.sseLimits ? { sseLimits: options.sseLimits } : {}),
    version: pkg.version,
    trustProxy,
  })
  const server: Server = tls
    ? (createHttpsServer({ cert: tls.cert, key: tls.key }, handler) as unknown as Server)
    : createHttpServer(handler)
  // Connections still arriving make the event streams' pacing do less per turn (sse-pacing.ts).
  server.on('connection', handler.accepted)
  server.keepAliveTimeout = 5_000
  server.headersTimeout = 10_000
  server.requestTimeout = 60_000
  const host = options.host ?? '127.0.0.1'
  const listen = (srv: Server, port: number) =>
    new Promise<void>((ok, fail) => {
      srv.once('error', fail)
      srv.listen(port, host, () => {
        srv.off('error', fail)
        ok()
      })
    })
  let redirect: Server | null = null
  try {
    await listen(server, options.port ?? DEFAULT_PORT)
  } catch (e) {
    await opened.close()
    await ownLog?.close()
    const err = e as NodeJS.ErrnoException
    if (err.code === 'EADDRINUSE')
      throw new Error(
        `Port ${options.port ?? DEFAULT_PORT} sudah dipakai program lain. Pilih port lain dengan --port.`,
      )
    throw e
  }
  const port = (server.address() as AddressInfo).port
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  if (tls && options.httpRedirectPort !== undefined) {
    redirect = createHttpServer(
      redirectToHttps(port, shownHost, () => features.cards.publicUrl().publicUrl),
    )
    redirect.headersTimeout = 10_000
    redirect.requestTimeout = 10_000
    try {
      await listen(redirect, options.httpRedirectPort)
    } catch (e) {
      await new Promise<void>((ok) => server.close(() => ok()))
      await opened.close()
      await ownLog?.close()
      const err = e as NodeJS.ErrnoException
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        throw new Error(
          `Port ${options.httpRedirectPort} untuk --http-redirect-port ${err.code === 'EACCES' ? 'butuh hak administrator (port di bawah 1024)' : 'sudah dipakai program lain'}. Pilih port lain.`,
        )
      }
      throw e
    }
  }
  discovery =
    options.discovery !== false && (options.discovery?.bonjour || !isLoopbackHost(host))
      ? startDiscovery({
          port,
          regencyCode: service.regions.regency.code,
          regencyName: service.regions.regency.name,
          training: service.training,
          version: pkg.version,
          scheme: tls ? 'https' : 'http',
          ...(tls ? { certFingerprint: tls.fingerprint256 } : {}),
          ...(options.discovery?.bonjour ? { bonjour: options.discovery.bonjour } : {}),
          onError: (message) => logger.warn('discovery.error', { message }),
        })
      : null
  const scheme = tls ? 'https' : 'http'
  const lan = (listening = { host, port, scheme })
  // pollMs 0: no timer (tests call scan() themselves).
  if (gammu && (options.sms?.gammu?.pollMs ?? 1000) > 0)
    gammu.start(options.sms?.gammu?.pollMs ?? 1000)
  const backups = features.backup?.start() ?? null
  let closing: Promise<void> | null = null
  return {
    url: `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    urls: reachableUrls(host, port, scheme),
    redirectPort: redirect ? (redirect.address() as AddressInfo).port : null,
    tlsValidTo: tls ? tls.validTo : null,
    advertisedAs: discovery?.state().name ?? null,
    lan,
    port,
    host,
    adminToken: admin.token,
    adminTokenGenerated: admin.generated,
    adminTokenFile: admin.file,
    service,
    store,
    ledger: core.ledger,
    features,
    server,
    async shellDisplayCode() {
      const actor = {
        id: 'admin',
        name: 'Aplikasi desk',
        role: 'admin' as const,
        region: service.regions.regency.code,
      }
      const existing = service
        .listUsers()
        .find((u) => u.role === 'display' && u.name === SHELL_DISPLAY_NAME && !u.revokedAt)
      if (!existing)
        return (
          await service.createUser(actor, { name: SHELL_DISPLAY_NAME, phone: '', role: 'display' })
        ).accessCode
      const { accessCode } = await service.reissueUser(actor, existing.id)
      auth.forgetUser(existing.id)
      return accessCode
    },
    gammu,
    logFile: ownLog?.file ?? null,
    backups,
    close() {
      closing ??= (async () => {
        // Stop taking new connections, end the event streams, let in-flight requests finish,
        // then commit what the writer still holds and close the database.
        const closed = new Promise<void>((ok) => server.close(() => ok()))
        const redirectClosed = redirect
          ? new Promise<void>((ok) => redirect!.close(() => ok()))
          : undefined
        redirect?.closeAllConnections()
        const undiscovered = discovery?.stop()
        sse.closeAll()
        server.closeIdleConnections()
        const force = setTimeout(() => server.closeAllConnections(), 10_000)
        await closed
        await redirectClosed
        await undiscovered
        clearTimeout(force)
        await gammu?.stop()
        await features.sms.drain()
        await features.export.shutdown()
        await service.drainWrites()
        // Everything is committed: the last backup of the night holds all of it.
        await backups?.stop({ final: true })
        await opened.close()
        logger.info('desk.closed', { dataDir })
        await ownLog?.close()
      })()
      return closing
    },
  }
}

/**
 * Wire the configured SMS gateways to the desk's SMS service (folders made and checked, nothing
 * polled yet); returns the gammu gateway, if any.
 */
function setUpSms(
  sms: SmsService,
  options: SmsOptions | undefined,
  logger: Logger,
  now: () => number,
): GammuFilesGateway | null {
  if (options?.android) {
    const a = options.android
    sms.setSender(
      'android',
      new AndroidSender({
        url: a.url,
        user: a.user,
        password: a.password,
        ...(a.fetch ? { fetch: a.fetch } : {}),
      }),
    )
    sms.android = { signingKey: a.signingKey ?? null, allowUnsigned: a.allowUnsigned ?? false }
    if (!a.signingKey && !a.allowUnsigned)
      logger.warn('sms.android.unsigned_refused', { hint: '--sms-android-signing-key' })
  }
  if (!options?.gammu) return null
  const gammu = new GammuFilesGateway({
    inbox: options.gammu.inbox,
    outbox: options.gammu.outbox,
    ...(options.gammu.settleMs !== undefined ? { settleMs: options.gammu.settleMs } : {}),
    now,
    onMessage: (m) => sms.receive(m),
    onError: (message, detail) => logger.warn(message, detail),
  })
  sms.setSender('gammu', gammu)
  return gammu
}
