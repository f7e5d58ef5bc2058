import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// One owner for the results and conflicts tables: the result ledger (src/service/ledger.ts, over
// src/store/ledger-store.ts). A write elsewhere would change a standing result without the event
// that tells the recap, boards and consoles to read it again.

const root = join(import.meta.dirname, '../..')
const LEDGER_STORE = 'src/store/ledger-store.ts'
const LEDGER = 'src/service/ledger.ts'
/** The events that announce a change to results or conflicts: appended by the ledger only. */
const LEDGER_EVENTS = [
  'result.accepted',
  'result.conflict',
  'result.updated',
  'result.reviewed',
  'conflict.resolved',
  'simulation.purged',
]

/** SQL that writes `results` or `conflicts` (any quoting, case, spacing, line breaks). */
const WRITE_SQL =
  /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`[]?(?:main\.)?(results|conflicts)\b/gi
const APPEND_EVENT = /\.appendEvent\(\s*([^,)]*)/g

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const path = `${dir}/${d.name}`
    if (d.isDirectory()) return sources(path)
    return /\.tsx?$/.test(d.name) ? [path] : []
  })
}

/** Where `text` writes results/conflicts: `line: statement` for each. */
function writesIn(text: string): string[] {
  return [...text.matchAll(WRITE_SQL)].map((m) => {
    const line = text.slice(0, m.index).split('\n').length
    return `${line}: ${m[0].replace(/\s+/g, ' ')}`
  })
}

// Migrations create and upgrade the tables (schema, before the desk serves anything).
const files = sources('src').filter((f) => !f.startsWith('src/store/migrations/'))

describe('the result ledger owns results and conflicts', () => {
  it('finds the writes it is looking for (the check itself can fail)', () => {
    expect(writesIn("p('DELETE FROM results WHERE tps = ?')")).toHaveLength(1)
    expect(writesIn('db.exec(`update\n  "conflicts" SET status = 1`)')).toHaveLength(1)
    expect(writesIn('INSERT OR REPLACE INTO results (tps) VALUES (?)')).toHaveLength(1)
    // Reads and other tables are not writes.
    expect(writesIn('SELECT * FROM results r JOIN conflicts c')).toEqual([])
    expect(writesIn('ON CONFLICT (desa) DO UPDATE SET results = excluded.results')).toEqual([])
    // The ledger's own statements are found where they are.
    expect(writesIn(readFileSync(join(root, LEDGER_STORE), 'utf8')).length).toBeGreaterThanOrEqual(
      7,
    )
  })

  it('no file in src/ but the ledger store writes results or conflicts', () => {
    const found = files
      .filter((f) => f !== LEDGER_STORE)
      .flatMap((f) => writesIn(readFileSync(join(root, f), 'utf8')).map((w) => `${f}:${w}`))
    expect(found).toEqual([])
  })

  it('only the ledger builds the ledger store', () => {
    const users = files.filter(
      (f) => f !== LEDGER_STORE && /\bnew LedgerStore\b/.test(readFileSync(join(root, f), 'utf8')),
    )
    expect(users).toEqual([LEDGER])
  })

  it('only the ledger appends the events that announce those writes, every type named literally', () => {
    const calls = files.flatMap((f) =>
      [...readFileSync(join(root, f), 'utf8').matchAll(APPEND_EVENT)].map((m) => ({
        file: f,
        type: m[1]!.trim(),
      })),
    )
    // Found in several features (a check that finds nothing passes for the wrong reason).
    expect(new Set(calls.map((c) => c.file)).size).toBeGreaterThan(5)
    // A literal type, so this check (and a reader) sees which event each call appends.
    expect(calls.filter((c) => !/^'[a-z.A-Z]+'$/.test(c.type))).toEqual([])
    const ledgerEvents = calls.filter((c) => LEDGER_EVENTS.includes(c.type.slice(1, -1)))
    expect(ledgerEvents.filter((c) => c.file !== LEDGER)).toEqual([])
    expect(new Set(ledgerEvents.map((c) => c.type.slice(1, -1)))).toEqual(new Set(LEDGER_EVENTS))
  })
})
