import Database from 'better-sqlite3'
import {
  chmodSync,
  closeSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './db'

export interface CheckedCopy {
  bytes: number
  /** `ok`, or SQLite's first complaints. */
  integrity: string
  schemaVersion: number
}

/** fsync a file, then its folder (so a rename into it survives a power cut). */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

export function fsyncDir(dir: string): void {
  let fd: number
  try {
    fd = openSync(dir, 'r')
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch {
    // Windows cannot fsync a folder; the rename is as durable as that platform allows.
  } finally {
    closeSync(fd)
  }
}

/**
 * Check a database file the way a restore will read it: `integrity_check` (every page, index and
 * constraint) and its schema version. Opened read-only: a bad file is looked at, never "repaired".
 */
export function checkDatabaseFile(path: string, nativeBinding?: string): CheckedCopy {
  const db = new Database(path, {
    readonly: true,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[]
    const integrity = rows.map((r) => r.integrity_check).join('; ')
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    const pages = db.pragma('page_count', { simple: true }) as number
    const pageSize = db.pragma('page_size', { simple: true }) as number
    return { bytes: pages * pageSize, integrity, schemaVersion }
  } finally {
    db.close()
  }
}

// The check of a fresh copy runs in a worker thread: `integrity_check` reads every page (about
// 0.2 s for a night's database on this hardware) and switching the copy's journal mode syncs it;
// on the desk's thread that would stall every request for as long. The worker loads better-sqlite3
// by its resolved path (no dependence on the working directory) and is gone after one check.
const CHECK_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const options = workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}
try {
  const rw = new Database(workerData.path, { fileMustExist: true, ...options })
  try { rw.pragma('journal_mode = DELETE') } finally { rw.close() }
  const db = new Database(workerData.path, { readonly: true, fileMustExist: true, ...options })
  try {
    const integrity = db.pragma('integrity_check').map((r) => r.integrity_check).join('; ')
    const schemaVersion = db.pragma('user_version', { simple: true })
    const bytes = db.pragma('page_count', { simple: true }) * db.pragma('page_size', { simple: true })
    parentPort.postMessage({ ok: true, checked: { bytes, integrity, schemaVersion } })
  } finally { db.close() }
} catch (e) {
  parentPort.postMessage({ ok: false, message: e && e.message ? e.message : String(e) })
}
`

function checkCopyInWorker(path: string, nativeBinding?: string): Promise<CheckedCopy> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3')
  return new Promise((resolve, reject) => {
    const worker = new Worker(CHECK_WORKER, {
      eval: true,
      workerData: { path, module, nativeBinding },
    })
    let settled = false
    worker.once(
      'message',
      (m: { ok: true; checked: CheckedCopy } | { ok: false; message: string }) => {
        settled = true
        if (m.ok) resolve(m.checked)
        else reject(new Error(m.message))
      },
    )
    worker.once('error', (e) => {
      settled = true
      reject(e)
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`Pemeriksaan salinan berhenti (kode ${code})`))
    })
  })
}

/**
 * An online copy of the live database into `target` with SQLite's backup API (better-sqlite3 runs it
 * in steps between which the event loop answers requests; writes made meanwhile are carried over).
 * The copy is turned into a single self-contained file (rollback journal, no -wal beside it), checked
 * with `integrity_check` (both in a worker thread), fsynced, and only then renamed into place: a
 * half-written or corrupt copy never gets the name a restore would pick.
 */
export async function backupDatabase(
  db: Db,
  target: string,
  options: { nativeBinding?: string } = {},
): Promise<CheckedCopy> {
  const tmp = `${target}.tmp`
  rmSync(tmp, { force: true })
  try {
    // Names and phone numbers of every reporter: readable by the desk's user only, from the first byte.
    writeFileSync(tmp, '', { mode: 0o600 })
    await db.backup(tmp)
    chmodSync(tmp, 0o600)
    const checked = await checkCopyInWorker(tmp, options.nativeBinding)
    if (checked.integrity !== 'ok')
      throw new Error(`Salinan gagal pemeriksaan integritas: ${checked.integrity.slice(0, 200)}`)
    fsyncFile(tmp)
    renameSync(tmp, target)
    return checked
  } catch (e) {
    rmSync(tmp, { force: true })
    rmSync(`${tmp}-journal`, { force: true })
    throw e
  }
}

/** What a restore tells the operator about a backup: whose desk it is and how much it holds. */
export function readBackupFacts(
  file: string,
  nativeBinding?: string,
): { regency: string | null; training: boolean; results: number; submissions: number } {
  const db = new Database(file, {
    readonly: true,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  try {
    const meta = (key: string) => {
      try {
        return (
          (
            db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
              { value: string } | undefined
          )?.value ?? null
        )
      } catch {
        return null
      }
    }
    const count = (table: 'results' | 'submissions') => {
      try {
        return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
      } catch {
        return 0
      }
    }
    return {
      regency: meta('regency'),
      training: meta('training') === '1',
      results: count('results'),
      submissions: count('submissions'),
    }
  } finally {
    db.close()
  }
}
