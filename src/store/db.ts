import Database from 'better-sqlite3'
import { MIGRATIONS, type Migration } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  /** Path to a better-sqlite3 build for another ABI (Electron's); see docs/ARCHITECTURE.md. */
  nativeBinding?: string
  migrations?: readonly Migration[]
}

export class NewerDatabaseError extends Error {
  constructor(found: number, known: number) {
    super(
      `Basis data ini dibuat oleh versi Desk Pilkada yang lebih baru (skema ${found}, versi ini mengenal ${known}). Perbarui aplikasi; data tidak diubah.`,
    )
  }
}

/**
 * Open (or create) the desk database. WAL with synchronous=FULL: a transaction is on disk when
 * commit returns, so an acknowledged report survives a power cut. (The single writer commits with
 * NORMAL and syncs the WAL itself, off the desk's thread, before it answers: store/writer.ts.) A
 * database from a newer version is refused rather than half-understood.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const db = new Database(
    path,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  )
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    // Each write job runs in its own savepoint (store/writer.ts), whose undo pages SQLite keeps in
    // a statement journal: in memory, not in a temp file written and read for every report.
    db.pragma('temp_store = MEMORY')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, options.migrations ?? MIGRATIONS)
    return db
  } catch (e) {
    db.close()
    throw e
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Apply pending migrations, all in one transaction: either the schema moves fully, or not at all. */
export function migrate(
  db: Db,
  migrations: readonly Migration[] = MIGRATIONS,
  upTo = Infinity,
): number {
  const current = schemaVersion(db)
  const known = migrations.at(-1)?.version ?? 0
  if (current > known) throw new NewerDatabaseError(current, known)
  const pending = migrations.filter((m) => m.version > current && m.version <= upTo)
  if (pending.length === 0) return current
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.up)
      db.pragma(`user_version = ${m.version}`)
    }
  })()
  return schemaVersion(db)
}
