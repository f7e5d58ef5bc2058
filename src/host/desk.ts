import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ElectionConfig } from '../domain/election'
import { startDiscovery, type BonjourLike } from '../discovery/discovery'
import { isLoopback, registerLan } from '../discovery/lan'
import { createServer, type ServerLimits } from '../server/app'
import { Authenticator } from '../server/auth'
import { jsonLogger, type Logger } from '../server/logger'
import { Lockout } from '../server/rate-limit'
import { startBackups, type BackupService } from '../service/backup-service'
import { generateAdminToken } from '../service/credentials'
import { DeskService } from '../service/desk-service'
import { DeskError } from '../service/errors'
import { ExportService } from '../service/export-service'
import { openDatabase } from '../store/db'
import { DeskStore } from '../store/store'
import { defaultElection } from './election-source'
import { DEFAULT_REGENCY, loadRegency } from './regions-source'
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
  sseHeartbeatMs?: number
  /** Online backups into this folder (a second disk, a USB stick); none when unset. */
  backupDir?: string
  /** Seconds between backups (default 60); one is also taken after every snapshot freeze. */
  backupIntervalSeconds?: number
}

export interface Desk {
  url: string
  port: number
  host: string
  adminToken: string
  /** True when this start generated the admin token (print it once). */
  adminTokenGenerated: boolean
  adminTokenFile: string
  service: DeskService
  server: Server
  /** The backups of this desk, when started with `backupDir`. */
  backups: BackupService | null
  close(): Promise<void>
}

function findStaticDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url))
  // Built, this module sits in out/main/ or in a chunk shared by the CLI and Electron (out/main/chunks/).
  for (const candidate of [join(here, '..', 'renderer'), join(here, '..', '..', 'renderer'), join(here, '..', '..', 'out', 'renderer')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate
  }
  return undefined
}

const MIN_ADMIN_TOKEN = 16

function adminTokenFrom(dataDir: string, given?: string): { token: string; generated: boolean; file: string } {
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
    if (alive) throw new Error(`Desk lain (proses ${pid}) sedang memakai folder data ${dataDir}. Hentikan dulu, atau pakai folder lain.`)
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

/** Open the data dir and build the service (no network). Used by `createDesk` and offline CLI verbs. */
export function openDesk(
  options: Pick<DeskOptions, 'dataDir' | 'regency' | 'training' | 'electionFile' | 'election' | 'now' | 'nativeBinding' | 'writerMaxBatch'>,
) {
  const dataDir = resolve(options.dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const unlock = lockDataDir(dataDir)
  try {
    const regions = loadRegency(options.regency ?? DEFAULT_REGENCY)
    const db = openDatabase(join(dataDir, 'desk.sqlite'), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    // Reporters' names and phones live here: readable by the desk's own user only.
    for (const f of ['desk.sqlite', 'desk.sqlite-wal', 'desk.sqlite-shm']) {
      if (existsSync(join(dataDir, f))) chmodSync(join(dataDir, f), 0o600)
    }
    const store = new DeskStore(db, options.now)
    let service: DeskService
    try {
      service = new DeskService({
        store,
        regions,
        defaultElection: options.election ?? defaultElection(regions, options.electionFile),
        training: options.training ?? false,
        dataDir,
        ...(options.writerMaxBatch ? { writerMaxBatch: options.writerMaxBatch } : {}),
      })
    } catch (e) {
      db.close()
      throw e
    }
    return { dataDir, service, unlock }
  } catch (e) {
    unlock()
    throw e
  }
}

/**
 * The composition root: store, service, HTTP server, listening. Started by `npm run serve` and by
 * Electron's main process alike.
 */
export async function createDesk(options: DeskOptions): Promise<Desk> {
  // A short admin token could be guessed over the LAN: refuse it before anything is opened.
  if (options.adminToken && options.adminToken.length < MIN_ADMIN_TOKEN) {
    throw new DeskError(400, 'admin_token_short', `DESK_ADMIN_TOKEN terlalu pendek: paling sedikit ${MIN_ADMIN_TOKEN} karakter (atau kosongkan agar desk membuatnya sendiri).`)
  }
  if (options.backupIntervalSeconds !== undefined && !(Number.isFinite(options.backupIntervalSeconds) && options.backupIntervalSeconds >= 1)) {
    throw new DeskError(400, 'backup_interval', `--backup-interval harus angka detik ≥ 1, bukan "${String(options.backupIntervalSeconds)}"`)
  }
  const { dataDir, service, unlock } = openDesk(options)
  const logger = options.logger ?? jsonLogger()
  const admin = adminTokenFrom(dataDir, options.adminToken)
  const auth = new Authenticator(service.store, admin.token, service.regions.regency.code, options.lockout)
  const staticDir = options.staticDir === null ? undefined : (options.staticDir ?? findStaticDir())
  const { app, sse } = createServer({
    service,
    auth,
    logger,
    ...(staticDir ? { staticDir } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.sseHeartbeatMs ? { sseHeartbeatMs: options.sseHeartbeatMs } : {}),
    version: pkg.version,
  })
  const server = createHttpServer(app)
  server.keepAliveTimeout = 5_000
  server.headersTimeout = 10_000
  server.requestTimeout = 60_000
  const host = options.host ?? '127.0.0.1'
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail)
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', fail)
        ok()
      })
    })
  } catch (e) {
    service.store.db.close()
    unlock()
    const err = e as NodeJS.ErrnoException
    if (err.code === 'EADDRINUSE') throw new Error(`Port ${options.port} sudah dipakai program lain. Pilih port lain dengan --port.`)
    throw e
  }
  const port = (server.address() as AddressInfo).port
  const discovery =
    options.discovery !== false && (options.discovery?.bonjour || !isLoopback(host))
      ? startDiscovery({
          port,
          regencyCode: service.regions.regency.code,
          regencyName: service.regions.regency.name,
          training: service.training,
          ...(options.discovery?.bonjour ? { bonjour: options.discovery.bonjour } : {}),
          onError: (message) => logger.warn('discovery.error', { message }),
        })
      : null
  registerLan(service, { host, port, discovery })
  const backups = options.backupDir
    ? startBackups(service, {
        dir: resolve(options.backupDir),
        ...(options.backupIntervalSeconds !== undefined ? { intervalSeconds: options.backupIntervalSeconds } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
        logger,
      })
    : null
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  let closing: Promise<void> | null = null
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    host,
    adminToken: admin.token,
    adminTokenGenerated: admin.generated,
    adminTokenFile: admin.file,
    service,
    server,
    backups,
    close() {
      closing ??= (async () => {
        // Stop taking new connections, end the event streams, let in-flight requests finish,
        // then commit what the writer still holds and close the database.
        const closed = new Promise<void>((ok) => server.close(() => ok()))
        const undiscovered = discovery?.stop()
        sse.closeAll()
        server.closeIdleConnections()
        const force = setTimeout(() => server.closeAllConnections(), 10_000)
        await closed
        await undiscovered
        clearTimeout(force)
        await ExportService.shutdown(service)
        await backups?.stop()
        await service.writer.drain()
        service.writer.close()
        service.store.db.close()
        unlock()
        logger.info('desk.closed', { dataDir })
      })()
      return closing
    },
  }
}
