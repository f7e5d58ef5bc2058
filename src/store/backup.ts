import Database from 'better-sqlite3'
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs'
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
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
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

/**
 * An online copy of the live database into `target` with SQLite's backup API (better-sqlite3 runs it
 * in steps between which the event loop answers requests; writes made meanwhile are carried over).
 * The copy is turned into a single self-contained file (rollback journal, no -wal beside it), checked
 * with `integrity_check`, fsynced, and only then renamed into place: a half-written or corrupt copy
 * never gets the name a restore would pick.
 */
export async function backupDatabase(db: Db, target: string, options: { nativeBinding?: string } = {}): Promise<CheckedCopy> {
  const tmp = `${target}.tmp`
  rmSync(tmp, { force: true })
  try {
    await db.backup(tmp)
    const copy = new Database(tmp, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    const checked = checkDatabaseFile(tmp, options.nativeBinding)
    if (checked.integrity !== 'ok') throw new Error(`Salinan gagal pemeriksaan integritas: ${checked.integrity.slice(0, 200)}`)
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
export function readBackupFacts(file: string, nativeBinding?: string): { regency: string | null; training: boolean; results: number; submissions: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
  try {
    const meta = (key: string) => {
      try {
        return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null
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
    return { regency: meta('regency'), training: meta('training') === '1', results: count('results'), submissions: count('submissions') }
  } finally {
    db.close()
  }
}
