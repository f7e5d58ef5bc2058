import { ancestorAt, isWithin, regionLevel } from '../domain/codes'
import type { Contest } from '../domain/election'
import { checkResultSheet, type ResultSheet, type SheetCheck } from '../domain/result-sheet'
import type { TpsRecord } from '../domain/tps'
import type { ResultAnswer } from '../shared/api'
import type {
  ActorDto,
  ArrivalDto,
  ChaseCallDto,
  ChaseDto,
  ChaseContactDto,
  ConflictQuery,
  ReviewAssignmentsDto,
  ChaseRowDto,
  ConflictDto,
  ConsoleSummaryDto,
  DecisionAnswer,
  DraftCreate,
  DraftDto,
  FlagDto,
  HistoryEntryDto,
  PhotoRefDto,
  ResolveConflict,
  ReviewResult,
  SheetDto,
  SheetInput,
  SubmissionViewDto,
  TpsHistoryDto,
  TpsInfoDto,
  VerificationDto,
} from '../shared/console'
import { REMOVED_SIMULATED_ROLE } from '../shared/console'
import { ConsoleStore, type ChaseCallRecord, type DraftRecord } from '../store/console-store'
import {
  canonicalJson,
  sha256,
  type StoredResult,
  type SubmissionRecord,
  type UserRecord,
} from '../store/store'
import type { DeskCore } from './core'
import { receiptOf, type DeskService, type SubmitMeta, type SubmitOutcome } from './desk-service'
import { DeskError, notFound } from './errors'
import { atLeast, type Principal } from './principal'
import type { SmsService } from './sms-service'

/** Evidence from the intake feature (photos of the C.Hasil sheet, kecamatan checks). */
export interface EvidenceSource {
  photos(tps: string, contest: string, submissionSeqs: number[]): PhotoRefDto[]
  verification(tps: string, contest: string): VerificationDto | null
}

/** What the console needs from other features; createDesk passes them (host/desk.ts). */
export interface ConsoleDeps {
  evidence: EvidenceSource
  /** Each reporter's last SMS (chase list); a phoned-in entry from a refused SMS handles that SMS. */
  sms: Pick<SmsService, 'lastByReporter' | 'handledByEntry'>
}

/** Channel of a sheet keyed in by a supervisor while deciding: it is in the log like any other. */
export const REVIEW_CHANNEL = 'tinjau'

const SYSTEM_ACTORS: Record<string, ActorDto> = {
  admin: { id: 'admin', name: 'Admin', role: 'admin' },
  system: { id: 'system', name: 'Sistem', role: 'system' },
  cli: { id: 'cli', name: 'CLI', role: 'admin' },
}

interface ParsedPayload {
  sheet: SheetDto
  caller: { name: string; phone?: string } | null
  note: string | null
  correctionReason: string | null
}

function parsePayload(payload: string): ParsedPayload {
  const body = JSON.parse(payload) as {
    votes: Record<string, number>
    invalid: number
    voters?: { dpt: number; dptb: number; dpk: number }
    caller?: { name: string; phone?: string }
    note?: string
    correction?: { reason: string }
  }
  const sheet: SheetDto = { votes: body.votes, invalid: body.invalid }
  if (body.voters)
    sheet.voters = { dpt: body.voters.dpt, dptb: body.voters.dptb, dpk: body.voters.dpk }
  return {
    sheet,
    caller: body.caller ?? null,
    note: body.note ?? null,
    correctionReason: body.correction?.reason ?? null,
  }
}

function toSheet(input: SheetInput): ResultSheet {
  const sheet: ResultSheet = {
    votes: input.votes as Record<string, number>,
    invalid: input.invalid as number,
  }
  if (input.voters) sheet.voters = input.voters as ResultSheet['voters']
  return sheet
}

function sheetOfResult(r: StoredResult): SheetDto {
  return { votes: r.votes, invalid: r.invalid, ...(r.voters ? { voters: r.voters } : {}) }
}

/**
 * Field paths where two sheets differ. Used for double entry (any difference is a mismatch) and
 * to highlight what a conflict is about.
 */
export function sheetDifferences(a: ResultSheet, b: ResultSheet): string[] {
  const out: string[] = []
  const keys = [...new Set([...Object.keys(a.votes), ...Object.keys(b.votes)])].sort(
    (x, y) => Number(x) - Number(y),
  )
  for (const k of keys) if (a.votes[k] !== b.votes[k]) out.push(`votes.${k}`)
  if (a.invalid !== b.invalid) out.push('invalid')
  if (!!a.voters !== !!b.voters) {
    // One side read the voter numbers, the other did not: every voter line differs ("175" vs "—"),
    // named line by line so the review's side-by-side rows (voters.dpt, …) are marked too.
    const only = (a.voters ?? b.voters)!
    out.push('voters', 'voters.dpt', 'voters.dptb', 'voters.dpk')
    if (only.total !== undefined) out.push('voters.total')
  } else if (a.voters && b.voters) {
    for (const part of ['dpt', 'dptb', 'dpk'] as const)
      if (a.voters[part] !== b.voters[part]) out.push(`voters.${part}`)
    if (
      a.voters.total !== undefined &&
      b.voters.total !== undefined &&
      a.voters.total !== b.voters.total
    )
      out.push('voters.total')
  }
  return out
}

/**
 * The operator console's use cases: the chase list, phoned-in double entry, the review queue and
 * its decisions, and the history of one TPS. Writes go through the desk's single writer; every
 * decision lands in `review_decisions` and the audit log, and the submissions log is only appended to.
 */
export class ConsoleService {
  private readonly store: ConsoleStore
  readonly desk: DeskService
  readonly evidence: EvidenceSource
  private readonly sms: ConsoleDeps['sms']
  private chaseCache: { version: number; value: ChaseDto } | null = null

  constructor(
    private readonly core: DeskCore,
    deps: ConsoleDeps,
  ) {
    this.desk = core.desk
    this.store = new ConsoleStore(core.store.db)
    this.evidence = deps.evidence
    this.sms = deps.sms
  }

  // ---------------------------------------------------------------- names
  /** Names for actor ids, from `people` (every account) when the caller has already read them. */
  private actors(people = this.core.store.listUsers()): (id: string) => ActorDto {
    const users = new Map<string, UserRecord>(people.map((u) => [u.id, u]))
    return (id) => {
      const u = users.get(id)
      if (u) return { id, name: u.name, role: u.role }
      // Accounts are revoked, never deleted — except by the purge of simulated data (the one
      // deleteUser, store/purge-store.ts): an id with no account is one it removed.
      return SYSTEM_ACTORS[id] ?? { id, name: id, role: REMOVED_SIMULATED_ROLE }
    }
  }

  tpsInfo(t: TpsRecord): TpsInfoDto {
    const regions = this.desk.regions
    const kec = ancestorAt(t.code, 'kecamatan') ?? ''
    return {
      code: t.code,
      number: t.number,
      desa: t.desa,
      desaName: regions.get(t.desa)?.name ?? t.desa,
      kecamatan: kec,
      kecamatanName: regions.get(kec)?.name ?? kec,
      dpt: t.dpt,
      status: t.status,
      statusReason: t.statusReason,
      mergedInto: t.mergedInto,
    }
  }

  private tpsInfoByCode(code: string): TpsInfoDto | null {
    const t = this.core.store.getTps(code)
    return t ? this.tpsInfo(t) : null
  }

  private contestOrThrow(id: string): Contest {
    const c = this.desk.contest(id)
    if (!c)
      throw new DeskError(404, 'not_found', `Pemilihan "${id}" tidak dikenal`, {
        contest: 'Pemilihan tidak dikenal',
      })
    return c
  }

  private tpsOrThrow(code: string): TpsRecord {
    const t = this.core.store.getTps(code)
    if (!t)
      throw new DeskError(404, 'not_found', `TPS ${code} tidak terdaftar`, {
        tps: 'TPS tidak terdaftar',
      })
    return t
  }

  private check(sheet: ResultSheet, tps: TpsRecord, contest: Contest): SheetCheck {
    return checkResultSheet(sheet, { candidates: contest.candidates, dpt: tps.dpt })
  }

  /** Refuse a sheet with hard errors, naming every field, prefixed as in the request. */
  private checkOrThrow(
    sheet: ResultSheet,
    tps: TpsRecord,
    contest: Contest,
    prefix = '',
  ): SheetCheck {
    const check = this.check(sheet, tps, contest)
    if (check.errors.length > 0) {
      throw new DeskError(
        400,
        'invalid',
        check.errors[0]!.message,
        Object.fromEntries(check.errors.map((e) => [`${prefix}${e.field}`, e.message])),
      )
    }
    return check
  }

  submissionView(s: SubmissionRecord, actorOf: (id: string) => ActorDto): SubmissionViewDto {
    const parsed = parsePayload(s.payload)
    const answer = JSON.parse(s.answer) as Partial<ResultAnswer>
    const tps = this.core.store.getTps(s.tps)
    const contest = this.desk.contest(s.contest)
    // Warnings are worked out against today's DPT; a TPS or contest gone from the registry has none.
    const valid = Object.values(parsed.sheet.votes).reduce((a, b) => a + b, 0)
    const check =
      tps && contest
        ? this.check(parsed.sheet as ResultSheet, tps, contest)
        : { valid, total: valid + parsed.sheet.invalid, warnings: [] }
    return {
      seq: s.seq,
      submissionId: s.submissionId,
      at: s.receivedAt,
      actor: actorOf(s.actor),
      actorPhone: this.core.store.userById(s.actor)?.phone ?? null,
      channel: s.channel,
      address: s.address,
      outcome: s.outcome,
      receipt: answer.receipt ?? null,
      sheet: parsed.sheet,
      valid: check.valid,
      total: check.total,
      warnings: check.warnings,
      caller: parsed.caller,
      note: parsed.note,
      correctionReason: parsed.correctionReason,
    }
  }

  // ---------------------------------------------------------------- home
  summary(): ConsoleSummaryDto {
    const actorOf = this.actors()
    const recent: ArrivalDto[] = this.store.recentSubmissions(15).map((r) => ({
      seq: r.seq as number,
      at: r.received_at as string,
      tpsCode: r.tps as string,
      tps: this.tpsInfoByCode(r.tps as string),
      contest: r.contest as string,
      channel: r.channel as string,
      outcome: r.outcome as ArrivalDto['outcome'],
      actor: actorOf(r.actor as string),
    }))
    return {
      asOf: this.core.store.nowIso(),
      openConflicts: this.core.store.countOpenConflicts(),
      flagged: this.core.store.countFlagged(),
      draftsWaiting: this.store.countOpenDrafts(),
      reportersMissing: this.chase().rows.length,
      recent,
    }
  }

  // ---------------------------------------------------------------- chase list (Belum Lapor)
  chase(): ChaseDto {
    if (this.chaseCache && this.chaseCache.version === this.desk.version)
      return this.chaseCache.value
    const store = this.core.store
    const regions = this.desk.regions
    const contests = this.desk.contests()
    const reported = contests.map((c) => this.desk.reportedSet(c.id))
    // Per desa: active TPS, and per contest how many have a result.
    const perDesa = new Map<string, { expected: number; reported: number[] }>()
    for (const t of this.desk.listTps()) {
      if (t.status !== 'active') continue
      let d = perDesa.get(t.desa)
      if (!d) perDesa.set(t.desa, (d = { expected: 0, reported: contests.map(() => 0) }))
      d.expected++
      reported.forEach((set, i) => {
        if (set.has(t.code)) d.reported[i]!++
      })
    }
    const lastReport = this.store.lastReportPerActor()
    const lastSms = this.sms.lastByReporter()
    const calls = this.store.latestCalls()
    const people = store.listUsers()
    const actorOf = this.actors(people)
    const reporters = people.filter((u) => u.role === 'reporter' && !u.revokedAt)
    // Kecamatan officers are not rows of their own (a whole kecamatan at 0% says nothing about whom
    // to call): they are the second person to call for each desa of their kecamatan, and the first
    // for a desa without its own reporter.
    const officers = new Map<string, UserRecord[]>()
    const desaReporters = new Map<string, UserRecord[]>()
    for (const u of reporters) {
      const into = regionLevel(u.region) === 'kecamatan' ? officers : desaReporters
      const list = into.get(u.region)
      if (list) list.push(u)
      else into.set(u.region, [u])
    }
    const contact = (u: UserRecord): ChaseContactDto => {
      const latest = calls.get(u.id)
      return {
        id: u.id,
        name: u.name,
        phone: u.phone,
        lastCall: latest ? this.callDto(latest.call, actorOf) : null,
      }
    }
    const rows: ChaseRowDto[] = []
    const unassigned: ChaseDto['unassigned'] = []
    let complete = 0
    const missingOf = (d: { expected: number; reported: number[] }) =>
      d.reported.reduce((a, n) => a + (d.expected - n), 0)
    const rowFor = (
      u: UserRecord,
      desa: string,
      area: { expected: number; reported: number[] },
      also: UserRecord[],
    ) => {
      const kec = ancestorAt(desa, 'kecamatan') ?? desa
      const latest = calls.get(u.id)
      rows.push({
        key: `${u.id}@${desa}`,
        reporter: {
          id: u.id,
          name: u.name,
          phone: u.phone,
          region: u.region,
          regionName: regions.get(u.region)?.name ?? u.region,
          level: regionLevel(u.region) === 'kecamatan' ? 'kecamatan' : 'desa',
        },
        desa,
        desaName: regions.get(desa)?.name ?? desa,
        kecamatan: kec,
        kecamatanName: regions.get(kec)?.name ?? kec,
        alsoCall: also.filter((o) => o.id !== u.id).map(contact),
        contests: Object.fromEntries(
          contests.map((c, i) => [c.id, { expected: area.expected, reported: area.reported[i]! }]),
        ),
        missing: missingOf(area),
        lastReportAt: lastReport.get(u.id) ?? null,
        lastCall: latest ? this.callDto(latest.call, actorOf) : null,
        calls: latest?.count ?? 0,
        ...(lastSms.has(u.id) ? { lastSms: lastSms.get(u.id)! } : {}),
      })
    }
    for (const [desa, d] of perDesa) {
      const kec = ancestorAt(desa, 'kecamatan') ?? ''
      const own = desaReporters.get(desa) ?? []
      const kecOfficers = officers.get(kec) ?? []
      const missing = missingOf(d)
      if (missing === 0) {
        complete += own.length
        continue
      }
      if (own.length > 0) for (const u of own) rowFor(u, desa, d, kecOfficers)
      else if (kecOfficers.length > 0) rowFor(kecOfficers[0]!, desa, d, kecOfficers)
      else
        unassigned.push({
          code: desa,
          name: regions.get(desa)?.name ?? desa,
          kecamatanName: regions.get(kec)?.name ?? kec,
          missing,
        })
    }
    // Most overdue first: never reported, then the longest silence; then the most missing.
    rows.sort((a, b) => {
      if (a.lastReportAt !== b.lastReportAt) {
        if (a.lastReportAt === null) return -1
        if (b.lastReportAt === null) return 1
        return a.lastReportAt < b.lastReportAt ? -1 : 1
      }
      return (
        b.missing - a.missing ||
        a.reporter.name.localeCompare(b.reporter.name) ||
        a.desa.localeCompare(b.desa)
      )
    })
    unassigned.sort((a, b) => a.code.localeCompare(b.code))
    const value: ChaseDto = { asOf: store.nowIso(), rows, complete, unassigned }
    this.chaseCache = { version: this.desk.version, value }
    return value
  }

  private callDto(c: ChaseCallRecord, actorOf: (id: string) => ActorDto): ChaseCallDto {
    const dto: ChaseCallDto = {
      id: c.id,
      at: c.at,
      actor: actorOf(c.actor),
      outcome: c.outcome,
      note: c.note,
    }
    if (c.desa) dto.desa = { code: c.desa, name: this.desk.regions.get(c.desa)?.name ?? c.desa }
    return dto
  }

  async recordCall(
    p: Principal,
    reporterId: string,
    input: { outcome: ChaseCallRecord['outcome']; note: string; desa?: string | undefined },
  ): Promise<ChaseCallDto> {
    const user = this.core.store.userById(reporterId)
    if (!user || user.role !== 'reporter') throw notFound('Pelapor tidak ditemukan')
    // The desa must be one this person answers for: their own, or one of their kecamatan's.
    const desa = input.desa ?? null
    if (
      desa &&
      (regionLevel(desa) !== 'desa' || !this.desk.regions.get(desa) || !isWithin(desa, user.region))
    ) {
      const message = `Desa ${desa} bukan wilayah ${user.name}`
      throw new DeskError(400, 'invalid', message, { desa: message })
    }
    const call = await this.desk.write((): ChaseCallRecord => {
      const at = this.core.store.nowIso()
      const id = this.store.insertCall(reporterId, p.id, at, input.outcome, input.note, desa)
      this.core.store.audit(p.id, 'chase.call', reporterId, { outcome: input.outcome })
      // No names, phones or notes in the event: display screens receive events too.
      this.core.store.appendEvent('chase.called', {
        reporter: reporterId,
        callId: id,
        outcome: input.outcome,
      })
      return {
        id,
        reporter: reporterId,
        actor: p.id,
        at,
        outcome: input.outcome,
        note: input.note,
        desa,
      }
    })
    return this.callDto(call, this.actors())
  }

  callsFor(reporterId: string): ChaseCallDto[] {
    const actorOf = this.actors()
    return this.store.callsFor(reporterId).map((c) => this.callDto(c, actorOf))
  }

  // ---------------------------------------------------------------- review queue
  /** kecamatan code → the supervisor its conflicts are assigned to. */
  private assignedBy(): Map<string, string> {
    return new Map(this.store.assignments().map((a) => [a.kecamatan, a.supervisor]))
  }

  private conflictDto(
    id: number,
    actorOf: (id: string) => ActorDto,
    assigned = this.assignedBy(),
  ): ConflictDto {
    const c = this.store.getConflict(id)
    if (!c) throw notFound(`Konflik #${id} tidak ditemukan`)
    const store = this.core.store
    const incoming = this.submissionView(store.submissionBySeq(c.submissionSeq)!, actorOf)
    // Compare with what stands now (a decision on another conflict may have moved it).
    const result = store.getResult(c.tps, c.contest)
    const standingRecord = store.submissionBySeq(
      c.status === 'open' && result ? result.submissionSeq : c.standingSeq,
    )
    const standing = standingRecord ? this.submissionView(standingRecord, actorOf) : null
    if (standing && c.status === 'open' && result) {
      // The log's sheet and the derived result agree unless a decision replaced it; show what stands.
      standing.sheet = sheetOfResult(result)
    }
    const decision = c.status === 'resolved' ? this.store.decisionForConflict(c.id) : undefined
    const tps = this.tpsInfoByCode(c.tps)!
    const assignee = assigned.get(tps.kecamatan)
    return {
      assignedTo: assignee ? actorOf(assignee) : null,
      id: c.id,
      tps,
      contest: c.contest,
      kind: c.kind,
      createdAt: c.createdAt,
      status: c.status,
      standing,
      incoming,
      differences: standing
        ? sheetDifferences(standing.sheet as ResultSheet, incoming.sheet as ResultSheet)
        : [],
      photos: this.evidence.photos(c.tps, c.contest, [
        incoming.seq,
        ...(standing ? [standing.seq] : []),
      ]),
      verification: this.evidence.verification(c.tps, c.contest),
      resolution:
        c.status === 'resolved'
          ? {
              keep: c.resolution ?? '',
              reason: c.reason ?? '',
              at: c.resolvedAt ?? '',
              actor: actorOf(c.resolvedBy ?? decision?.actor ?? 'system'),
            }
          : null,
    }
  }

  /**
   * The review queue, narrowed as a supervisor at volume needs it: by kecamatan, contest, kind,
   * assignee ("me" or a user id) and a search over TPS code, desa, kecamatan and the reporter.
   */
  conflicts(query: Partial<ConflictQuery> = {}, p?: Principal): ConflictDto[] {
    // A well-formed code of no kecamatan here is a mistake to say, not an empty queue to show.
    if (
      query.kecamatan &&
      (regionLevel(query.kecamatan) !== 'kecamatan' || !this.desk.regions.get(query.kecamatan))
    ) {
      const message = `Kecamatan ${query.kecamatan} tidak ada di ${this.desk.regions.regency.name}`
      throw new DeskError(400, 'invalid', message, { kecamatan: message })
    }
    const actorOf = this.actors()
    const assigned = this.assignedBy()
    const status = query.status ?? 'open'
    const list = status === 'open' ? this.store.openConflicts() : this.store.resolvedConflicts(100)
    const q = query.q?.trim().toLowerCase() ?? ''
    const assignee = query.assigned === 'me' ? p?.id : query.assigned
    return list
      .filter(
        (c) =>
          (!query.kecamatan || isWithin(c.tps, query.kecamatan)) &&
          (!query.contest || c.contest === query.contest) &&
          (!query.kind || c.kind === query.kind) &&
          (!assignee || assigned.get(ancestorAt(c.tps, 'kecamatan') ?? '') === assignee),
      )
      .map((c) => this.conflictDto(c.id, actorOf, assigned))
      .filter(
        (c) =>
          !q ||
          [
            c.tps.code,
            c.tps.desaName,
            c.tps.kecamatanName,
            `tps ${String(c.tps.number).padStart(3, '0')}`,
            c.incoming.actor.name,
            c.standing?.actor.name ?? '',
            `#${c.id}`,
          ]
            .join(' ')
            .toLowerCase()
            .includes(q),
      )
  }

  conflict(id: number): ConflictDto {
    return this.conflictDto(id, this.actors())
  }

  // ---------------------------------------------------------------- review assignments
  reviewAssignments(): ReviewAssignmentsDto {
    const people = this.core.store.listUsers()
    const actorOf = this.actors(people)
    const regions = this.desk.regions
    return {
      assignments: this.store.assignments().map((a) => ({
        kecamatan: a.kecamatan,
        kecamatanName: regions.get(a.kecamatan)?.name ?? a.kecamatan,
        supervisor: actorOf(a.supervisor),
        assignedBy: actorOf(a.assignedBy),
        at: a.assignedAt,
      })),
      supervisors: people
        .filter((u) => u.role === 'supervisor' && !u.revokedAt)
        .map((u) => ({ id: u.id, name: u.name, role: u.role })),
      kecamatan: regions.kecamatan.map((k) => ({ code: k.code, name: k.name })),
    }
  }

  /** Give a kecamatan's conflicts to one supervisor (null: to any supervisor again). */
  async assignReview(
    p: Principal,
    kecamatan: string,
    supervisor: string | null,
  ): Promise<ReviewAssignmentsDto> {
    if (!atLeast(p, 'supervisor'))
      throw new DeskError(
        403,
        'forbidden',
        'Hanya supervisor atau admin yang boleh membagi konflik',
      )
    if (regionLevel(kecamatan) !== 'kecamatan' || !this.desk.regions.get(kecamatan)) {
      throw new DeskError(
        404,
        'not_found',
        `Kecamatan ${kecamatan} tidak ada di ${this.desk.regions.regency.name}`,
        { kecamatan: 'Kecamatan tidak dikenal' },
      )
    }
    if (supervisor !== null) {
      const u = this.core.store.userById(supervisor)
      if (!u || u.role !== 'supervisor' || u.revokedAt) {
        throw new DeskError(400, 'invalid', 'Penugasan hanya kepada supervisor yang aktif', {
          supervisor: 'Bukan supervisor yang aktif',
        })
      }
    }
    await this.desk.write(() => {
      const at = this.core.store.nowIso()
      this.store.setAssignment(kecamatan, supervisor, p.id, at)
      this.core.store.audit(p.id, 'review.assign', kecamatan, { supervisor })
      this.core.store.appendEvent('review.assigned', { kecamatan, supervisor })
    })
    return this.reviewAssignments()
  }

  flags(): FlagDto[] {
    const actorOf = this.actors()
    const store = this.core.store
    return this.store.flagged().map(({ tps, contest }) => {
      const r = store.getResult(tps, contest)!
      const sub = store.submissionBySeq(r.submissionSeq)
      return {
        tps: this.tpsInfoByCode(tps)!,
        contest,
        result: {
          ...sheetOfResult(r),
          valid: r.valid,
          total: r.total,
          acceptedAt: r.acceptedAt,
          updatedAt: r.updatedAt,
        },
        warnings: r.warnings,
        submission: sub ? this.submissionView(sub, actorOf) : null,
        photos: this.evidence.photos(tps, contest, [r.submissionSeq]),
        verification: this.evidence.verification(tps, contest),
      }
    })
  }

  /**
   * Append a sheet keyed by a supervisor to the submissions log, so the new standing result is
   * traceable to a log row like every other. Only inside the writer.
   */
  private appendReviewSubmission(
    p: Principal,
    sheet: ResultSheet,
    tps: string,
    contest: string,
    reason: string,
    address: string,
    check: SheetCheck,
  ): number {
    const store = this.core.store
    const seq = store.nextSubmissionSeq()
    const body = {
      submissionId: `tinjau-${seq}`,
      tps,
      contest,
      votes: sheet.votes,
      invalid: sheet.invalid,
      voters: sheet.voters,
      note: reason,
    }
    const payload = canonicalJson(body)
    const hash = sha256(payload)
    const answer: ResultAnswer = {
      status: 'accepted',
      receipt: receiptOf(seq, hash),
      tps,
      contest,
      warnings: check.warnings,
    }
    store.appendSubmission({
      seq,
      submissionId: body.submissionId,
      actor: p.id,
      channel: REVIEW_CHANNEL,
      receivedAt: store.nowIso(),
      address,
      tps,
      contest,
      payload,
      hash,
      outcome: 'accepted',
      answer: JSON.stringify(answer),
    })
    return seq
  }

  private decisionAnswer(
    decisionId: number,
    tps: string,
    contest: string,
    changed: boolean,
  ): DecisionAnswer {
    const r = this.core.store.getResult(tps, contest)!
    return {
      decisionId,
      tps,
      contest,
      changed,
      result: {
        ...sheetOfResult(r),
        valid: r.valid,
        total: r.total,
        review: r.review,
        warnings: r.warnings,
      },
    }
  }

  async resolveConflict(
    p: Principal,
    id: number,
    input: ResolveConflict,
    meta: { address: string },
  ): Promise<DecisionAnswer> {
    if (!atLeast(p, 'supervisor'))
      throw new DeskError(
        403,
        'forbidden',
        'Hanya supervisor atau admin yang boleh memutuskan konflik',
      )
    const found = this.store.getConflict(id)
    if (!found) throw notFound(`Konflik #${id} tidak ditemukan`)
    // An assigned kecamatan is its supervisor's (and the admin's): two people never decide one TPS.
    const assignee = this.assignedBy().get(ancestorAt(found.tps, 'kecamatan') ?? '')
    if (assignee && p.role !== 'admin' && p.id !== assignee) {
      const kec = this.desk.regions.get(ancestorAt(found.tps, 'kecamatan') ?? '')?.name ?? ''
      throw new DeskError(
        403,
        'assigned_elsewhere',
        `Konflik Kec. ${kec} ditugaskan kepada ${this.actors()(assignee).name}: hanya dia atau admin yang memutuskan`,
      )
    }
    const tps = this.tpsOrThrow(found.tps)
    const contest = this.contestOrThrow(found.contest)
    const corrected = input.keep === 'corrected' ? toSheet(input.sheet!) : null
    const correctedCheck = corrected ? this.checkOrThrow(corrected, tps, contest, 'sheet.') : null
    return this.desk.write(() => {
      const store = this.core.store
      const c = this.store.getConflict(id)!
      if (c.status !== 'open') {
        const who = this.actors()(c.resolvedBy ?? 'system')
        throw new DeskError(
          409,
          'already_resolved',
          `Konflik #${id} sudah diputuskan oleh ${who.name}`,
        )
      }
      const standing = store.getResult(c.tps, c.contest)
      if (!standing)
        throw new DeskError(
          409,
          'no_result',
          `TPS ${c.tps} belum punya hasil untuk ${contest.name}`,
        )
      const at = store.nowIso()
      let afterSeq = standing.submissionSeq
      let sheet: ResultSheet | null = null
      let check: SheetCheck | null = null
      let channel = REVIEW_CHANNEL
      if (input.keep === 'new') {
        const sub = store.submissionBySeq(c.submissionSeq)!
        sheet = parsePayload(sub.payload).sheet as ResultSheet
        check = this.check(sheet, tps, contest)
        afterSeq = sub.seq
        channel = sub.channel
      } else if (input.keep === 'corrected') {
        sheet = corrected!
        check = correctedCheck!
        afterSeq = this.appendReviewSubmission(
          p,
          sheet,
          c.tps,
          c.contest,
          input.reason,
          meta.address,
          check,
        )
      }
      const decisionId = this.store.insertDecision({
        at,
        actor: p.id,
        tps: c.tps,
        contest: c.contest,
        kind: 'conflict',
        conflictId: c.id,
        action: input.keep,
        reason: input.reason,
        beforeSeq: standing.submissionSeq,
        afterSeq,
      })
      const changed = sheet !== null && check !== null
      this.core.ledger.resolveConflict({
        conflict: c,
        keep: input.keep,
        actor: p.id,
        reason: input.reason,
        decisionId,
        at,
        replacement: changed
          ? { tps: c.tps, contest: c.contest, seq: afterSeq, sheet: sheet!, check: check!, channel }
          : null,
      })
      store.audit(p.id, 'review.conflict', `${c.tps}/${c.contest}`, {
        conflictId: c.id,
        decisionId,
        keep: input.keep,
        reason: input.reason,
        beforeSeq: standing.submissionSeq,
        afterSeq,
      })
      return this.decisionAnswer(decisionId, c.tps, c.contest, changed)
    })
  }

  async reviewResult(
    p: Principal,
    tpsCode: string,
    contestId: string,
    input: ReviewResult,
    meta: { address: string },
  ): Promise<DecisionAnswer> {
    if (!atLeast(p, 'supervisor'))
      throw new DeskError(403, 'forbidden', 'Hanya supervisor atau admin yang boleh meninjau hasil')
    const tps = this.tpsOrThrow(tpsCode)
    const contest = this.contestOrThrow(contestId)
    const corrected = input.action === 'correct' ? toSheet(input.sheet!) : null
    const correctedCheck = corrected ? this.checkOrThrow(corrected, tps, contest, 'sheet.') : null
    return this.desk.write(() => {
      const store = this.core.store
      const r = store.getResult(tps.code, contest.id)
      if (!r)
        throw new DeskError(
          404,
          'not_found',
          `TPS ${tps.code} belum punya hasil untuk ${contest.name}`,
        )
      if (input.action === 'confirm' && r.review !== 'flagged') {
        throw new DeskError(
          409,
          'not_flagged',
          'Hasil ini tidak sedang menunggu tinjauan (sudah dikonfirmasi atau tanpa peringatan)',
        )
      }
      const at = store.nowIso()
      let afterSeq = r.submissionSeq
      if (corrected)
        afterSeq = this.appendReviewSubmission(
          p,
          corrected,
          tps.code,
          contest.id,
          input.reason,
          meta.address,
          correctedCheck!,
        )
      const decisionId = this.store.insertDecision({
        at,
        actor: p.id,
        tps: tps.code,
        contest: contest.id,
        kind: 'flag',
        conflictId: null,
        action: input.action,
        reason: input.reason,
        beforeSeq: r.submissionSeq,
        afterSeq,
      })
      const target = { tps: tps.code, contest: contest.id, decisionId, at }
      this.core.ledger.reviewResult(
        corrected
          ? {
              ...target,
              action: 'correct',
              replacement: {
                tps: tps.code,
                contest: contest.id,
                seq: afterSeq,
                sheet: corrected,
                check: correctedCheck!,
                channel: REVIEW_CHANNEL,
              },
            }
          : { ...target, action: 'confirm' },
      )
      store.audit(p.id, 'review.result', `${tps.code}/${contest.id}`, {
        decisionId,
        action: input.action,
        reason: input.reason,
        warnings: r.warnings.map((w) => w.code),
        beforeSeq: r.submissionSeq,
        afterSeq,
      })
      return this.decisionAnswer(decisionId, tps.code, contest.id, !!corrected)
    })
  }

  // ---------------------------------------------------------------- double entry
  private draftDto(d: DraftRecord, actorOf: (id: string) => ActorDto): DraftDto {
    const payload = JSON.parse(d.payload) as { caller: { name: string; phone?: string } }
    return {
      id: d.id,
      tps: this.tpsInfoByCode(d.tps)!,
      contest: d.contest,
      caller: payload.caller,
      firstActor: actorOf(d.firstActor),
      createdAt: d.createdAt,
      status: d.status,
      attempts: d.attempts,
      mismatch: d.mismatch,
    }
  }

  /** Open drafts, without their numbers: the second operator keys blind. */
  drafts(): DraftDto[] {
    const actorOf = this.actors()
    return this.store.openDrafts().map((d) => this.draftDto(d, actorOf))
  }

  async createDraft(
    p: Principal,
    input: DraftCreate,
  ): Promise<{ draft: DraftDto; warnings: SheetCheck['warnings'] }> {
    if (!atLeast(p, 'operator'))
      throw new DeskError(403, 'forbidden', 'Hanya operator yang boleh mengetik hasil telepon')
    const tps = this.tpsOrThrow(input.tps)
    const contest = this.contestOrThrow(input.contest)
    if (tps.status !== 'active')
      throw new DeskError(
        409,
        'tps_inactive',
        `TPS ${tps.code} tidak aktif (${tps.statusReason ?? tps.status})`,
        { tps: 'TPS tidak aktif' },
      )
    const sheet = toSheet(input)
    const check = this.checkOrThrow(sheet, tps, contest)
    const payload = JSON.stringify({
      votes: sheet.votes,
      invalid: sheet.invalid,
      ...(sheet.voters ? { voters: sheet.voters } : {}),
      caller: input.caller,
      ...(input.note ? { note: input.note } : {}),
    })
    const id = await this.desk.write(() => {
      const id = this.store.insertDraft(
        tps.code,
        contest.id,
        p.id,
        payload,
        this.core.store.nowIso(),
      )
      this.core.store.audit(p.id, 'draft.created', `${tps.code}/${contest.id}`, { draftId: id })
      this.core.store.appendEvent('draft.changed', {
        draftId: id,
        tps: tps.code,
        contest: contest.id,
        status: 'waiting',
      })
      return id
    })
    return {
      draft: this.draftDto(this.store.getDraft(id)!, this.actors()),
      warnings: check.warnings,
    }
  }

  /**
   * The second, blind keying of a draft. Identical → the result is submitted (channel telepon);
   * different → the draft is flagged with the fields that differ, and nothing is saved.
   */
  async verifyDraft(
    p: Principal,
    id: number,
    input: SheetInput,
    meta: SubmitMeta,
  ): Promise<{ match: true; outcome: SubmitOutcome } | { match: false; fields: string[] }> {
    if (!atLeast(p, 'operator'))
      throw new DeskError(403, 'forbidden', 'Hanya operator yang boleh mengetik hasil telepon')
    const draft = this.store.getDraft(id)
    if (!draft) throw notFound(`Entri #${id} tidak ditemukan`)
    if (draft.status === 'saved' || draft.status === 'cancelled') {
      throw new DeskError(
        409,
        'draft_closed',
        `Entri #${id} sudah ${draft.status === 'saved' ? 'disimpan' : 'dibatalkan'}`,
      )
    }
    if (draft.firstActor === p.id) {
      throw new DeskError(
        409,
        'same_operator',
        'Entri kedua harus diketik oleh operator lain, tanpa melihat entri pertama',
      )
    }
    const first = JSON.parse(draft.payload) as {
      votes: Record<string, number>
      invalid: number
      voters?: ResultSheet['voters']
      caller: { name: string; phone?: string }
      note?: string
    }
    const second = toSheet(input)
    const fields = sheetDifferences(first as ResultSheet, second)
    if (fields.length > 0) {
      await this.desk.write(() => {
        this.store.markDraftMismatch(id, fields)
        this.core.store.audit(p.id, 'draft.mismatch', `${draft.tps}/${draft.contest}`, {
          draftId: id,
          fields,
        })
        this.core.store.appendEvent('draft.changed', {
          draftId: id,
          tps: draft.tps,
          contest: draft.contest,
          status: 'mismatch',
        })
      })
      return { match: false, fields }
    }
    const actorOf = this.actors()
    const note = [
      first.note,
      `Entri ganda #${id}: ${actorOf(draft.firstActor).name} & ${actorOf(p.id).name}`,
    ]
      .filter(Boolean)
      .join(' — ')
    const outcome = await this.desk.submitResult(
      p,
      {
        submissionId: `entri-ganda-${id}`,
        tps: draft.tps,
        contest: draft.contest,
        votes: first.votes,
        invalid: first.invalid,
        ...(first.voters ? { voters: first.voters } : {}),
        caller: first.caller,
        note,
      },
      { ...meta, channel: 'telepon' },
    )
    // A double entry made from a refused SMS (issue 15) handles that SMS too.
    if (first.note) await this.sms.handledByEntry(p, first.note, outcome.answer)
    await this.desk.write(() => {
      const seq = this.core.store.findSubmission(p.id, `entri-ganda-${id}`)?.seq ?? null
      if (this.store.closeDraft(id, 'saved', this.core.store.nowIso(), p.id, null, seq)) {
        this.core.store.audit(p.id, 'draft.saved', `${draft.tps}/${draft.contest}`, {
          draftId: id,
          seq,
          status: outcome.answer.status,
        })
        this.core.store.appendEvent('draft.changed', {
          draftId: id,
          tps: draft.tps,
          contest: draft.contest,
          status: 'saved',
        })
      }
    })
    return { match: true, outcome }
  }

  async cancelDraft(p: Principal, id: number, reason: string): Promise<void> {
    const draft = this.store.getDraft(id)
    if (!draft) throw notFound(`Entri #${id} tidak ditemukan`)
    if (draft.firstActor !== p.id && !atLeast(p, 'supervisor')) {
      throw new DeskError(
        403,
        'forbidden',
        'Hanya operator yang mengetik entri pertama, supervisor atau admin yang boleh membatalkan',
      )
    }
    await this.desk.write(() => {
      if (!this.store.closeDraft(id, 'cancelled', this.core.store.nowIso(), p.id, reason, null)) {
        throw new DeskError(409, 'draft_closed', `Entri #${id} sudah ditutup`)
      }
      this.core.store.audit(p.id, 'draft.cancelled', `${draft.tps}/${draft.contest}`, {
        draftId: id,
        reason,
      })
      this.core.store.appendEvent('draft.changed', {
        draftId: id,
        tps: draft.tps,
        contest: draft.contest,
        status: 'cancelled',
      })
    })
  }

  // ---------------------------------------------------------------- TPS history
  history(code: string): TpsHistoryDto {
    const tps = this.desk.getTps(code)
    const store = this.core.store
    const actorOf = this.actors()
    const entries: HistoryEntryDto[] = []
    for (const s of store.submissionsForTps(tps.code)) {
      const v = this.submissionView(s, actorOf)
      entries.push({
        at: v.at,
        kind: 'submission',
        contest: s.contest,
        actor: v.actor,
        // A reporter's correction is a "koreksi", not a second report that happens to differ.
        action:
          s.outcome === 'conflict' && v.correctionReason
            ? 'submission.correction'
            : `submission.${s.outcome}`,
        channel: s.channel,
        sheet: v.sheet,
        receipt: v.receipt,
        caller: v.caller,
        reason: v.correctionReason ?? v.note,
        seq: s.seq,
      })
    }
    for (const d of this.store.decisionsForTps(tps.code)) {
      entries.push({
        at: d.at,
        kind: 'decision',
        contest: d.contest,
        actor: actorOf(d.actor),
        action: `decision.${d.action}`,
        reason: d.reason,
        detail: {
          conflictId: d.conflictId,
          beforeSeq: d.beforeSeq,
          afterSeq: d.afterSeq,
          decisionId: d.id,
        },
      })
    }
    for (const d of this.store.draftsForTps(tps.code)) {
      const payload = JSON.parse(d.payload) as { caller: { name: string; phone?: string } }
      entries.push({
        at: d.createdAt,
        kind: 'draft',
        contest: d.contest,
        actor: actorOf(d.firstActor),
        action: 'draft.created',
        caller: payload.caller,
        detail: { draftId: d.id },
      })
      if (d.closedAt) {
        entries.push({
          at: d.closedAt,
          kind: 'draft',
          contest: d.contest,
          actor: actorOf(d.closedBy ?? 'system'),
          action: `draft.${d.status}`,
          reason: d.closeReason,
          detail: { draftId: d.id, seq: d.submissionSeq },
        })
      }
    }
    // What only the audit log knows: refusals, status changes, mismatches, checks by others.
    const covered = new Set([
      'result.conflict',
      'result.correction',
      'review.conflict',
      'review.result',
      'draft.created',
      'draft.saved',
      'draft.cancelled',
    ])
    // The kecamatan officer's check of the TPS's desa covers this TPS too.
    const desaChecks = this.store
      .auditForTarget(tps.desa)
      .filter((a) => a.action === 'desa.verification')
    for (const a of [...this.store.auditForTps(tps.code), ...desaChecks]) {
      if (covered.has(a.action)) continue
      const slash = a.target?.indexOf('/') ?? -1
      const detail = a.detail as { reason?: string; note?: string; contest?: string } | null
      entries.push({
        at: a.at,
        kind: 'audit',
        contest:
          slash > 0
            ? a.target!.slice(slash + 1)
            : typeof detail?.contest === 'string'
              ? detail.contest
              : null,
        actor: actorOf(a.actor),
        action: a.action,
        reason:
          typeof detail?.reason === 'string'
            ? detail.reason
            : typeof detail?.note === 'string'
              ? detail.note
              : null,
        detail: a.detail,
      })
    }
    const rank = { submission: 0, draft: 1, audit: 2, decision: 3 }
    // A decision that stands a sheet comes after that sheet even when its clock reading is a
    // millisecond earlier (the decision is stamped before the corrected sheet is appended).
    const submittedAt = new Map(
      entries.filter((e) => e.kind === 'submission').map((e) => [e.seq, e.at]),
    )
    const sortAt = (e: HistoryEntryDto) => {
      const after =
        e.kind === 'decision' ? (e.detail as { afterSeq?: number | null } | null)?.afterSeq : null
      const sheetAt = after != null ? submittedAt.get(after) : undefined
      return sheetAt && sheetAt > e.at ? sheetAt : e.at
    }
    entries.sort((a, b) => {
      const ta = sortAt(a)
      const tb = sortAt(b)
      return ta < tb ? -1 : ta > tb ? 1 : rank[a.kind] - rank[b.kind] || (a.seq ?? 0) - (b.seq ?? 0)
    })
    return {
      tps: this.tpsInfo(tps),
      results: store.resultsForTps(tps.code).map((r) => ({
        contest: r.contest,
        sheet: sheetOfResult(r),
        valid: r.valid,
        total: r.total,
        review: r.review,
        updatedAt: r.updatedAt,
      })),
      openConflicts: this.store
        .conflictsForTps(tps.code)
        .filter((c) => c.status === 'open')
        .map((c) => c.id),
      entries,
    }
  }

  /** Reporters who sent anything in the last `minutes` minutes. */
  activeReporters(minutes = 15): number {
    return this.store.activeReportersSince(
      new Date(Date.parse(this.core.store.nowIso()) - minutes * 60_000).toISOString(),
    )
  }
}
