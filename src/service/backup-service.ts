// Online backups of a running desk into a second folder (another disk, a USB stick): the database
// through SQLite's backup API, checked and fsynced, rotated; evidence photos copied incrementally.
// The threat is losing the one laptop (disk, theft, a spilled drink): a standby restores from here.

import { copyFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises'
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BackupFileDto, BackupState, BackupStatusDto } from '../shared/backup'
import { backupDatabase, fsyncDir } from '../store/backup'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'

export const DEFAULT_BACKUP_INTERVAL_SECONDS = 60
/** Newest backups always kept; older ones thin out to one per hour. */
export const KEEP_LAST = 10

const BACKUP_NAME = /^desk-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)\.sqlite$/
const PHOTO_NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/

export interface BackupLogger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
}

export interface BackupOptions {
  dir: string
  intervalSeconds?: number
  now?: () => Date
  nativeBinding?: string
  logger?: BackupLogger
}

export function backupFileName(at: Date): string {
  return `desk-${at.toISOString().replace(/[:.]/g, '-')}.sqlite`
}

/** When a backup file was taken, from its name (`null`: not one of ours). */
export function backupTime(file: string): Date | null {
  const m = BACKUP_NAME.exec(file)
  if (!m) return null
  const iso = m[1]!.replace(/^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, '$1:$2:$3.$4Z')
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

/** The backups in a folder, newest first. */
export function listBackups(dir: string): { file: string; at: Date }[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names
    .map((file) => ({ file, at: backupTime(file) }))
    .filter((b): b is { file: string; at: Date } => b.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime())
}

/**
 * Which backups rotation keeps: the newest `keepLast`, plus the newest of every clock hour (UTC
 * hours; WIB is a whole number of hours away, so the hours are the same). Pure, for tests.
 */
export function backupsToKeep(
  files: { file: string; at: Date }[],
  keepLast = KEEP_LAST,
): Set<string> {
  const sorted = [...files].sort((a, b) => b.at.getTime() - a.at.getTime())
  const keep = new Set(sorted.slice(0, keepLast).map((b) => b.file))
  const hours = new Set<string>()
  for (const b of sorted) {
    const hour = b.at.toISOString().slice(0, 13)
    if (hours.has(hour)) continue
    hours.add(hour)
    keep.add(b.file)
  }
  return keep
}

interface LastGood extends BackupFileDto {
  durationMs: number | null
}

export class BackupService {
  readonly dir: string
  readonly intervalSeconds: number
  private readonly now: () => Date
  private readonly startedAt: Date
  private lastGood: LastGood | null = null
  private lastError: { at: string; message: string } | null = null
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<LastGood | null> | null = null
  private queued: Promise<LastGood | null> | null = null
  private stopped = false
  private unsubscribe: (() => void) | null = null
  /** Photos known to be in the backup folder already (names are content hashes: same name, same bytes). */
  private readonly copiedPhotos = new Set<string>()
  private photoCount = 0

  private readonly desk: DeskService

  constructor(
    private readonly core: DeskCore,
    private readonly options: BackupOptions,
  ) {
    this.desk = core.desk
    this.dir = options.dir
    const interval = options.intervalSeconds ?? DEFAULT_BACKUP_INTERVAL_SECONDS
    if (!Number.isFinite(interval) || interval < 1)
      throw new Error(
        `--backup-interval harus angka detik ≥ 1, bukan "${String(options.intervalSeconds)}"`,
      )
    this.intervalSeconds = interval
    this.now = options.now ?? (() => new Date())
    this.startedAt = this.now()
    // A desk restarted on the same folder knows its last good backup from the files themselves.
    const newest = listBackups(this.dir)[0]
    if (newest) {
      let bytes = 0
      try {
        bytes = statSync(join(this.dir, newest.file)).size
      } catch {
        // listed a moment ago; its size is only for show
      }
      this.lastGood = { file: newest.file, at: newest.at.toISOString(), bytes, durationMs: null }
    }
  }

  /** Back up now, then every interval and after every snapshot freeze. */
  start(): this {
    if (this.timer || this.stopped) return this
    this.timer = setInterval(() => void this.trigger(), this.intervalSeconds * 1000)
    this.timer.unref()
    // A frozen snapshot is what the desk will be asked to show again: copy it away at once.
    this.unsubscribe = this.desk.bus.subscribe((e) => {
      if (e.type === 'snapshot.created') void this.trigger()
    })
    void this.trigger()
    return this
  }

  /**
   * Take a backup (or, when one is running, one more right after it). Resolves with the new backup,
   * or null when it failed (the reason is in the status); never rejects.
   */
  trigger(): Promise<LastGood | null> {
    if (this.stopped) return Promise.resolve(null)
    if (this.queued) return this.queued
    const run = () => (this.running = this.runOnce().finally(() => (this.running = null)))
    if (!this.running) return run()
    this.queued = this.running.then(() => {
      this.queued = null
      return this.stopped ? null : run()
    })
    return this.queued
  }

  private async runOnce(): Promise<LastGood | null> {
    const at = this.now()
    const started = Date.now()
    try {
      if (!existsSync(this.dir) || !statSync(this.dir).isDirectory()) {
        throw new Error(
          `Folder cadangan ${this.dir} tidak ditemukan (diska/USB dicabut?). Pasang lagi atau pilih folder lain.`,
        )
      }
      const file = backupFileName(at)
      const checked = await backupDatabase(
        this.core.store.db,
        join(this.dir, file),
        this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {},
      )
      fsyncDir(this.dir)
      await this.copyPhotos()
      this.copyAdminToken()
      await this.rotate()
      const good: LastGood = {
        file,
        at: at.toISOString(),
        bytes: checked.bytes,
        durationMs: Date.now() - started,
      }
      this.lastGood = good
      this.lastError = null
      return good
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      this.lastError = { at: this.now().toISOString(), message }
      this.options.logger?.warn('backup.failed', { dir: this.dir, message })
      return null
    }
  }

  /** Copy photos the backup folder does not have yet (fsynced, renamed into place). */
  private async copyPhotos(): Promise<void> {
    if (!this.desk.dataDir) return
    const from = join(this.desk.dataDir, 'photos')
    let names: string[]
    try {
      names = await readdir(from)
    } catch {
      return // no photos yet
    }
    const to = join(this.dir, 'photos')
    if (!existsSync(to)) await mkdir(to, { recursive: true, mode: 0o700 })
    if (this.copiedPhotos.size === 0) {
      for (const name of await readdir(to)) if (PHOTO_NAME.test(name)) this.copiedPhotos.add(name)
    }
    let copied = 0
    for (const name of names) {
      if (!PHOTO_NAME.test(name) || this.copiedPhotos.has(name)) continue
      const tmp = join(to, `.${name}.tmp`)
      await copyFile(join(from, name), tmp)
      const fd = await open(tmp, 'r+')
      try {
        await fd.sync()
      } finally {
        await fd.close()
      }
      await rename(tmp, join(to, name))
      this.copiedPhotos.add(name)
      copied++
    }
    if (copied > 0) fsyncDir(to)
    this.photoCount = this.copiedPhotos.size
  }

  /** The admin token goes with the data, so a restored desk answers to the same token (file mode 0600). */
  private copyAdminToken(): void {
    if (!this.desk.dataDir) return
    const source = join(this.desk.dataDir, 'admin-token')
    if (!existsSync(source)) return
    const target = join(this.dir, 'admin-token')
    const token = readFileSync(source)
    if (existsSync(target) && readFileSync(target).equals(token)) return
    writeFileSync(target, token, { mode: 0o600 })
    chmodSync(target, 0o600)
  }

  private async rotate(): Promise<void> {
    const all = listBackups(this.dir)
    const keep = backupsToKeep(all)
    for (const b of all) {
      if (!keep.has(b.file)) await rm(join(this.dir, b.file), { force: true })
    }
  }

  status(): BackupStatusDto {
    const now = this.now()
    const present = existsSync(this.dir)
    const limitMs = 2 * this.intervalSeconds * 1000
    const since = this.lastGood ? new Date(this.lastGood.at) : this.startedAt
    const overdue = now.getTime() - since.getTime() > limitMs
    let state: BackupState
    if (!present) state = 'missing'
    else if (overdue) state = 'stale'
    else if (this.lastError) state = 'failing'
    else if (!this.lastGood) state = 'pending'
    else state = 'ok'
    return {
      state,
      alarm: state === 'missing' || state === 'stale',
      dir: this.dir,
      intervalSeconds: this.intervalSeconds,
      lastGood: this.lastGood ? { ...this.lastGood, integrity: 'ok' } : null,
      lastError: this.lastError,
      kept: present ? listBackups(this.dir).length : 0,
      photos: this.photoCount,
      now: now.toISOString(),
    }
  }

  /** Stop the timer and wait for a backup in progress (the database closes after). */
  /**
   * Stop taking backups. With `final` (the desk is closing, its writes committed) one last backup is
   * taken first, so a desk closed at the end of the night leaves nothing only in its own folder.
   */
  async stop(options: { final?: boolean } = {}): Promise<LastGood | null> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.unsubscribe?.()
    await this.queued
    await this.running
    return options.final ? this.runOnce() : null
  }
}

/** The indicator of a desk without backups. */
export function backupsOffStatus(now: Date = new Date()): BackupStatusDto {
  return {
    state: 'off',
    alarm: false,
    dir: null,
    intervalSeconds: 0,
    lastGood: null,
    lastError: null,
    kept: 0,
    photos: 0,
    now: now.toISOString(),
  }
}
