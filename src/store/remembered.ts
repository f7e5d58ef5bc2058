// What a data dir remembers about its desk (regency, training or not), read without opening the desk:
// an offline CLI verb uses it so a training desk's folder exports without repeating --training.

import Database from 'better-sqlite3'

export interface RememberedSettings {
  regency: string | null
  training: boolean | null
}

/** The settings stored in a desk database, or nulls when there is none yet (or it cannot be read). */
export function rememberedSettings(file: string): RememberedSettings {
  let db: Database.Database | null = null
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const rows = db
      .prepare(`SELECT key, value FROM meta WHERE key IN ('regency', 'training')`)
      .all() as { key: string; value: string }[]
    const meta = new Map(rows.map((r) => [r.key, r.value]))
    const training = meta.get('training')
    return {
      regency: meta.get('regency') ?? null,
      training: training === undefined ? null : training === '1',
    }
  } catch {
    return { regency: null, training: null }
  } finally {
    db?.close()
  }
}
