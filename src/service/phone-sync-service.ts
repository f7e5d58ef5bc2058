// Failover without loss (issue 13 item 8), seen from the desk. Phones and consoles keep every report
// they sent that night with its receipt. After a failover the desk they reach may be a restored
// backup that never saw the last reports: it says which data folder it runs on and what it holds
// (identity), and tells each sender which of its own submissionIds (results and incidents) it does
// not know (check), so the sender resends exactly those with their original submissionId — counted once whatever happens.
// Also here: the numbers the desk holds for a TPS, where a reporter's correction starts.

import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type {
  DeskIdentityDto,
  ReceiptCheckDto,
  ResultAnswer,
  StandingSheetDto,
} from '../shared/api'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'
import { DeskError } from './errors'
import type { Principal } from './principal'

/** The file in the data folder that names it. Not in the database: a restored copy is another folder. */
export const DATA_FOLDER_ID_FILE = 'desk-id'

function dataFolderId(dataDir: string | undefined): string {
  if (!dataDir) return randomUUID()
  const file = join(dataDir, DATA_FOLDER_ID_FILE)
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim()
    if (/^[0-9a-f-]{36}$/.test(id)) return id
  }
  const id = randomUUID()
  writeFileSync(file, `${id}\n`, { mode: 0o644 })
  return id
}

interface SubmissionRow {
  submission_id: string
  answer: string
  tps: string
  contest: string
  received_at: string
}

export class PhoneSyncService {
  readonly dataFolder: string
  private readonly startedAt: string
  private readonly s

  private readonly desk: DeskService

  constructor(private readonly core: DeskCore) {
    const desk = (this.desk = core.desk)
    this.dataFolder = dataFolderId(desk.dataDir)
    this.startedAt = core.store.nowIso()
    const p = (sql: string) => core.store.db.prepare(sql)
    this.s = {
      holds: p(
        'SELECT count(*) AS n, coalesce(max(seq), 0) AS lastSeq, max(received_at) AS lastAt FROM submissions',
      ),
      // The idempotency index (actor, submission_id) answers each lookup.
      mine: p(
        'SELECT submission_id, answer, tps, contest, received_at FROM submissions WHERE actor = ? AND submission_id = ?',
      ),
      // Incidents a phone resends carry a submissionId too (primary key of incident_submissions).
      mineIncident:
        p(`SELECT i.id, i.tps, i.at FROM incident_submissions s JOIN incidents i ON i.id = s.incident
        WHERE s.actor = ? AND s.submission_id = ?`),
    }
  }

  identity(): DeskIdentityDto {
    const h = this.s.holds.get() as { n: number; lastSeq: number; lastAt: string | null }
    return {
      dataFolder: this.dataFolder,
      startedAt: this.startedAt,
      holds: { submissions: h.n, lastSeq: h.lastSeq, lastAt: h.lastAt },
    }
  }

  /** Of the caller's own submissionIds, which this desk has; another sender's ids are simply unknown. */
  check(p: Principal, submissionIds: string[]): ReceiptCheckDto {
    const known: ReceiptCheckDto['known'] = []
    const unknown: string[] = []
    for (const id of new Set(submissionIds)) {
      const row = this.s.mine.get(p.id, id) as SubmissionRow | undefined
      if (row) {
        const answer = JSON.parse(row.answer) as ResultAnswer
        known.push({
          submissionId: id,
          kind: 'result',
          receipt: answer.receipt,
          status: answer.status,
          tps: row.tps,
          contest: row.contest,
          at: row.received_at,
        })
        continue
      }
      const incident = this.s.mineIncident.get(p.id, id) as
        { id: number; tps: string | null; at: string } | undefined
      if (incident) {
        known.push({
          submissionId: id,
          kind: 'incident',
          receipt: `#${incident.id}`,
          status: 'created',
          tps: incident.tps,
          contest: null,
          at: incident.at,
        })
        continue
      }
      unknown.push(id)
    }
    return { dataFolder: this.dataFolder, known, unknown }
  }

  /** The standing numbers of a TPS per contest, for someone who may report for it. */
  standing(p: Principal, tps: string): StandingSheetDto {
    if (!this.core.store.getTps(tps))
      throw new DeskError(404, 'not_found', `TPS ${tps} tidak terdaftar`, {
        tps: 'TPS tidak terdaftar',
      })
    if (!this.desk.canReportFor(p, tps))
      throw new DeskError(403, 'forbidden', `TPS ${tps} di luar wilayah tugas Anda`, {
        tps: 'Di luar wilayah tugas',
      })
    const contests: StandingSheetDto['contests'] = {}
    for (const c of this.desk.contests()) {
      const r = this.core.store.getResult(tps, c.id)
      if (!r) {
        contests[c.id] = null
        continue
      }
      const sub = this.core.store.submissionBySeq(r.submissionSeq)
      const receipt = sub ? (JSON.parse(sub.answer) as ResultAnswer).receipt : ''
      contests[c.id] = {
        votes: r.votes,
        invalid: r.invalid,
        voters: r.voters,
        receipt,
        acceptedAt: r.acceptedAt,
      }
    }
    return { tps, contests }
  }
}
