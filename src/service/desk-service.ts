import { isWithin, regionLevel } from '../domain/codes'
import { normalizeContests, type Contest, type ElectionConfig } from '../domain/election'
import {
  recapAllLevels,
  sumRows,
  type RecapInput,
  type RecapLevel,
  type RecapLevels,
  type RecapRow,
} from '../domain/recap'
import { checkResultSheet, sameSheet, type ResultSheet } from '../domain/result-sheet'
import type { RegionTree } from '../domain/regions'
import { validateTpsTable, type TpsRecord } from '../domain/tps'
import type {
  ConfigDto,
  ContestProgress,
  ProgressDto,
  RecapDto,
  ResultAnswer,
  RowError,
} from '../shared/api'
import { isResultChange, type DeskEvent, type DeskEventType } from '../shared/events'
import type { ResultSubmission, UserCreate } from '../shared/schemas'
import { EventBus } from '../store/bus'
import {
  canonicalJson,
  sha256,
  type DeskStore,
  type SubmissionRecord,
  type UserRecord,
} from '../store/store'
import { WalFileSync, type Durability } from '../store/wal-sync'
import { DiskFailedError, GroupCommitWriter } from '../store/writer'
import type { SmsStore } from '../store/sms-store'
import { issueCodes, type IssuedCodes } from './credentials'
import { DeskError, forbidden, notFound } from './errors'
import { atLeast, type Principal } from './principal'
import { randomUUID } from 'node:crypto'
import type { ResultLedger } from './ledger'

/** A person as stored (the Authenticator and features read them through DeskService). */
export type { UserRecord }

export interface SubmitMeta {
  channel: string
  address: string
}

export interface SubmitOutcome {
  httpStatus: 200 | 201 | 202
  answer: ResultAnswer
}

export interface DeskServiceOptions {
  store: DeskStore
  /** SMS codes (issue 15) are issued with access codes, in the same write. */
  smsStore: SmsStore
  /** The result ledger over the same store (the core holds it too, for the console and purge). */
  ledger: ResultLedger
  regions: RegionTree
  /** Written into an empty database on first start. */
  defaultElection: ElectionConfig
  training?: boolean
  /** The data dir (photos, snapshots live under it); absent for an in-memory test service. */
  dataDir?: string
  writerMaxBatch?: number
  /**
   * How commits are made durable: by default a file database syncs its WAL off the desk's thread
   * (store/wal-sync.ts); `null` syncs inside COMMIT (the baseline of bench/intake.ts, which also
   * comes with `writerMaxBatch: 1`); tests pass a disk they control.
   */
  durability?: Durability | null
  /** The regency's shipped boundary file (TopoJSON/GeoJSON text), shown until an admin changes the map. */
  bundledBoundaries?: () => string | null
}

const ACTIVITY_WINDOW_MS = 5 * 60_000
/** What the field sends: results (also held as conflicts or corrections), incidents, photos, SMS. */
const FIELD_ARRIVALS = new Set<DeskEventType>([
  'result.accepted',
  'result.conflict',
  'incident.created',
  'photo.added',
  'sms.received',
])

export function receiptOf(seq: number, hash: string): string {
  return `${String(seq).padStart(6, '0')}-${hash.slice(0, 4).toUpperCase()}`
}

/** The writer's durability for this desk (see DeskServiceOptions.durability). */
function durabilityOf(options: DeskServiceOptions, db: { memory: boolean; name: string }) {
  if (options.durability !== undefined)
    return options.durability ? { durability: options.durability } : {}
  // A memory database has nothing to sync; one commit per report keeps its sync inside COMMIT.
  if (db.memory || options.writerMaxBatch === 1) return {}
  return { durability: new WalFileSync(db.name) }
}

/** A write refused because the disk failed: 503, in words an operator can act on. */
function diskRefusal(e: unknown): never {
  if (e instanceof DiskFailedError)
    throw new DeskError(
      503,
      'disk_failed',
      'Desk tidak bisa menyimpan ke disk: laporan ini BELUM tersimpan. Hubungi admin desk (periksa disk, lalu nyalakan ulang desk).',
    )
  throw e
}

/** The answer for a submissionId already used by this sender: its first answer again, or 409. */
function replayOf(previous: SubmissionRecord, hash: string): SubmitOutcome {
  if (previous.hash !== hash) {
    throw new DeskError(
      409,
      'submission_id_reused',
      'submissionId ini sudah dipakai untuk laporan lain. Kirim laporan baru dengan submissionId baru.',
      { submissionId: 'Sudah dipakai dengan isi berbeda' },
    )
  }
  const answer = JSON.parse(previous.answer) as ResultAnswer
  return {
    httpStatus: 200,
    answer: { ...answer, status: 'duplicate', replayOf: answer.status } as ResultAnswer,
  }
}

/** Why a postponed or merged TPS takes no result, or null for an active one. */
function inactiveError(tps: TpsRecord): DeskError | null {
  if (tps.status === 'active') return null
  return new DeskError(
    409,
    'tps_inactive',
    tps.status === 'postponed'
      ? `TPS ${tps.code} ditunda (${tps.statusReason ?? 'tanpa alasan'}); hasilnya tidak bisa diterima`
      : `TPS ${tps.code} sudah digabung ke ${tps.mergedInto}; laporkan hasilnya di TPS itu`,
    { tps: 'TPS tidak aktif' },
  )
}

/** At most this much of one refused body is kept (its SHA-256 covers the whole body). */
export const MAX_KEPT_PAYLOAD = 4096

/** The refused body as kept in the refusals log: whole when small, else its head and its full length. */
export function keptPayload(payload: string): string {
  if (payload.length <= MAX_KEPT_PAYLOAD) return payload
  return `${payload.slice(0, MAX_KEPT_PAYLOAD)}…[dipotong: ${payload.length} karakter; hash = SHA-256 isi utuh]`
}

/** A token bucket per sender for rows in the refusals log (a leaky sender costs bounded disk). */
export class RefusalBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
  ) {}

  /** True (and one token spent) when `sender` may have one more refusal kept now. */
  take(sender: string, nowMs: number): boolean {
    const b = this.buckets.get(sender) ?? { tokens: this.burst, at: nowMs }
    const refill = Math.floor((nowMs - b.at) / this.refillMs)
    if (refill > 0) {
      b.tokens = Math.min(this.burst, b.tokens + refill)
      b.at += refill * this.refillMs
    }
    if (b.tokens >= this.burst) b.at = nowMs
    this.buckets.set(sender, b)
    if (b.tokens <= 0) return false
    b.tokens--
    return true
  }
}

/**
 * The desk's use cases over the store: what the HTTP routes (and the CLI) call. All writes go
 * through the single group-commit writer; events reach subscribers only after commit.
 */
export class DeskService {
  /** Other services get the store from the DeskCore (service/core.ts); routers not at all. */
  private readonly store: DeskStore
  readonly regions: RegionTree
  readonly bus = new EventBus()
  /** Refusals kept per sender: a burst of 200, then one every 10 s (360 an hour). */
  readonly refusalBudget = new RefusalBudget(200, 10_000)
  private readonly writer: GroupCommitWriter
  readonly training: boolean
  readonly dataDir: string | undefined
  readonly bundledBoundaries: (() => string | null) | undefined
  /** Bumped after every committed batch; read caches are keyed by it. */
  version = 0
  /**
   * The last event id whose batch is out on the bus (after its sync). Events above it are committed
   * but their senders are not answered yet: the event stream neither starts after them nor replays
   * them, it gets them from the bus.
   */
  private published: number
  /** Per contest: the rollup input, kept current from committed events, and its levels once computed. */
  private recapCache = new Map<
    string,
    { version: number; tpsVersion: number; input: RecapInput; levels: RecapLevels | null }
  >()
  private recapViews = new Map<string, { levels: RecapLevels; rows: RecapRow[]; total: RecapRow }>()
  /** TPS whose standing result changed since the contest's input was last brought up to date. */
  private dirtyResults = new Map<string, Set<string>>()
  private tpsCache: { version: number; tps: TpsRecord[] } | null = null
  private tpsIndex: { version: number; byCode: Map<string, TpsRecord> } | null = null
  /** Bumped only when the TPS registry changes, so results arriving do not re-read 4,046 TPS rows. */
  private tpsVersion = 0
  private batchEvents: typeof this.store.pendingEvents = []
  /** SMS codes and messages (issue 15): codes are issued with access codes, in the same write. */
  private readonly smsStore: SmsStore
  /** The one owner of writes to `results` and `conflicts`, each announced by its event. */
  private readonly ledger: ResultLedger

  constructor(options: DeskServiceOptions) {
    this.store = options.store
    this.regions = options.regions
    this.training = options.training ?? false
    this.dataDir = options.dataDir
    this.bundledBoundaries = options.bundledBoundaries
    this.smsStore = options.smsStore
    this.ledger = options.ledger
    // Whatever is in the database at start is on disk (SQLite recovered it from the WAL).
    this.published = this.store.lastEventId()
    this.writer = new GroupCommitWriter(this.store.db, {
      ...(options.writerMaxBatch ? { maxBatch: options.writerMaxBatch } : {}),
      beforeJob: () => {
        this.store.pendingEvents = []
      },
      afterJobFailed: () => {
        this.store.pendingEvents = []
      },
      afterRollback: () => {
        this.store.pendingEvents = []
        this.batchEvents = []
      },
      afterCommit: () => {
        this.version++
        // The registry changes only by import or a status change, each announced by a tps.* event.
        if (
          this.batchEvents.some((e) => e.type.startsWith('tps.') || e.type === 'simulation.purged')
        )
          this.tpsVersion++
        this.noteResultChanges(this.batchEvents)
        this.noteArrivals(this.batchEvents)
        const events = this.batchEvents
        this.batchEvents = []
        // Right after this batch's commit, before any later one: everything up to here is its.
        const upTo = this.store.lastEventId()
        // Screens hear of the batch when it is on disk, together with its senders' answers.
        return () => {
          this.published = Math.max(this.published, upTo)
          this.bus.publish(events)
        }
      },
      ...durabilityOf(options, this.store.db),
      onDiskError: (error, recovered) => this.onDiskError(error, recovered),
    })
    this.initialise(options.defaultElection)
  }

  /** When reports arrived lately (ms since epoch), pruned to the last ACTIVITY_WINDOW_MS. */
  private arrivals: number[] = []

  private noteArrivals(events: DeskEvent[]): void {
    const now = Date.now()
    for (const e of events) if (FIELD_ARRIVALS.has(e.type)) this.arrivals.push(now)
    while (this.arrivals.length > 0 && this.arrivals[0]! < now - ACTIVITY_WINDOW_MS)
      this.arrivals.shift()
  }

  /**
   * Is the desk still taking reports? Results committed in the last five minutes and writes
   * waiting for their commit: the desktop app asks before stopping a desk that is.
   */
  activity(now = Date.now()): { recentResults: number; waiting: number } {
    return {
      recentResults: this.arrivals.filter((t) => t >= now - ACTIVITY_WINDOW_MS).length,
      waiting: this.writer.pending,
    }
  }

  /** Run a write in the single writer; events it appends are published after the commit. */
  write<T>(fn: () => T): Promise<T> {
    return this.writer
      .run(() => {
        // The ledger writes only while this is set: inside a job of the single writer.
        this.store.inWriterJob = true
        try {
          const value = fn()
          this.batchEvents.push(...this.store.pendingEvents)
          this.store.pendingEvents = []
          return value
        } finally {
          this.store.inWriterJob = false
        }
      })
      .catch(diskRefusal)
  }

  /** For the host: run what is queued and wait until every commit is on disk. */
  drainWrites(): Promise<void> {
    return this.writer.drain()
  }

  /** For the host, before the database closes: no write is taken any more. */
  closeWrites(): void {
    this.writer.close()
  }

  /** Batches committed so far (tests and benches see group commit at work). */
  get writeBatches(): number {
    return this.writer.batches
  }

  /** Resolves once every commit so far is on disk (an answer given from what is stored waits for it). */
  durable(): Promise<void> {
    return this.writer.durable().catch(diskRefusal)
  }

  /**
   * Told when a sync of the database failed (the host logs it; until then it goes to stderr).
   * `recovered`: the checkpoint made everything safe anyway; otherwise writes are refused.
   */
  onDiskError: (error: Error, recovered: boolean) => void = (error, recovered) => {
    process.stderr.write(
      `${recovered ? 'PERINGATAN' : 'GALAT'} disk: sinkronisasi basis data gagal (${error.message})${recovered ? '; data sudah diamankan lewat checkpoint' : '; desk tidak menerima tulisan baru sampai dinyalakan ulang'}\n`,
    )
  }

  private initialise(election: ElectionConfig): void {
    const regency = this.store.getMeta('regency')
    if (regency && regency !== this.regions.regency.code) {
      throw new Error(
        `Data di folder ini milik wilayah ${regency}, bukan ${this.regions.regency.code}. Pakai folder data lain atau --regency ${regency}.`,
      )
    }
    if (!regency) {
      const { contests, errors } = normalizeContests(election.contests)
      if (errors.length)
        throw new Error(`Konfigurasi bawaan tidak sah: ${errors.map((e) => e.message).join('; ')}`)
      this.store.db.transaction(() => {
        this.store.setMeta('regency', this.regions.regency.code)
        this.store.setMeta('election', JSON.stringify({ name: election.name, date: election.date }))
        this.store.setMeta('training', this.training ? '1' : '0')
        this.store.replaceContests(contests)
        this.store.audit('system', 'desk.created', this.regions.regency.code, {
          training: this.training,
        })
      })()
    } else if ((this.store.getMeta('training') === '1') !== this.training) {
      throw new Error(
        this.store.getMeta('training') === '1'
          ? 'Folder data ini berisi data LATIHAN. Jalankan dengan --training, atau pakai folder data lain untuk malam pemilihan.'
          : 'Folder data ini berisi data SUNGGUHAN. Mode latihan harus memakai folder data sendiri.',
      )
    }
  }

  // ---------------------------------------------------------------- configuration
  config(): ConfigDto {
    const election = JSON.parse(this.store.getMeta('election') ?? '{}') as {
      name: string
      date: string
    }
    return {
      election: { name: election.name, date: election.date, timezone: 'Asia/Jakarta' },
      regency: { code: this.regions.regency.code, name: this.regions.regency.name },
      contests: this.contests(),
      locked: this.store.hasAnySubmission(),
      training: this.training,
    }
  }

  private contestsCache: Contest[] | null = null

  /** The contests, read once: they change only through updateContests, announced by config.changed. */
  contests(): Contest[] {
    this.contestsCache ??= this.store.listContests()
    return this.contestsCache
  }

  contest(id: string): Contest | undefined {
    return this.contests().find((c) => c.id === id)
  }

  // ---------------------------------------------------------------- reads for the routes
  /** The desk's clock (injected in tests and the demo), as an ISO string. */
  nowIso(): string {
    return this.store.nowIso()
  }

  /** The last committed event (summaries read committed state, so they carry this id). */
  lastEventId(): number {
    return this.store.lastEventId()
  }

  /**
   * The last event published on the bus: its batch is durable and its senders answered. Up to
   * here an event stream replays from the table; later events reach it from the bus.
   */
  publishedEventId(): number {
    return this.published
  }

  /** Committed events after `id` (and at most `upTo`), oldest first (the event stream's replay). */
  eventsAfter(id: number, limit?: number, upTo?: number): DeskEvent[] {
    return this.store.eventsAfter(id, limit, upTo)
  }

  listUsers(): UserRecord[] {
    return this.store.listUsers()
  }

  userById(id: string): UserRecord | undefined {
    return this.store.userById(id)
  }

  /** The person holding an access code, by the code's public handle. */
  userByCodeId(codeId: string): UserRecord | undefined {
    return this.store.userByCodeId(codeId)
  }

  listAudit(limit?: number): ReturnType<DeskStore['listAudit']> {
    return this.store.listAudit(limit)
  }

  /** A TPS's standing results (without their internal sequence) and its open conflicts. */
  tpsDetail(code: string) {
    const tps = this.getTps(code)
    return {
      tps,
      results: this.store.resultsForTps(tps.code).map((r) => ({ ...r, submissionSeq: undefined })),
      conflicts: this.contests().flatMap((c) => this.store.openConflictsFor(tps.code, c.id)),
    }
  }

  async updateContests(
    actor: Principal,
    input: { name?: string; contests: Contest[] },
  ): Promise<ConfigDto> {
    const { contests, errors } = normalizeContests(input.contests)
    if (errors.length > 0) {
      throw new DeskError(
        400,
        'invalid',
        errors[0]!.message,
        Object.fromEntries(errors.map((e) => [e.field, e.message])),
      )
    }
    await this.write(() => {
      if (this.store.hasAnySubmission()) {
        throw new DeskError(
          409,
          'config_locked',
          'Pemilihan dan paslon tidak bisa diubah lagi karena hasil pertama sudah masuk',
        )
      }
      this.store.replaceContests(contests)
      if (input.name) {
        const election = JSON.parse(this.store.getMeta('election') ?? '{}') as Record<
          string,
          string
        >
        this.store.setMeta('election', JSON.stringify({ ...election, name: input.name }))
      }
      this.store.audit(actor.id, 'config.contests', null, { contests })
      this.store.appendEvent('config.changed', { contests })
    })
    return this.config()
  }

  // ---------------------------------------------------------------- TPS registry
  async importTps(
    actor: Principal,
    table: string[][],
    options: { simulated?: boolean } = {},
  ): Promise<{ imported: number; updated: number; errors: RowError[] }> {
    const { rows, errors } = validateTpsTable(table, this.regions)
    if (errors.length > 0) return { imported: 0, updated: 0, errors }
    const counts = await this.write(() => {
      const counts = this.store.upsertTps(rows, options.simulated ?? false)
      this.store.audit(actor.id, 'tps.import', null, { ...counts, simulated: !!options.simulated })
      this.store.appendEvent('tps.imported', counts)
      return counts
    })
    return { ...counts, errors: [] }
  }

  listTps(under?: string): TpsRecord[] {
    if (under) return this.store.listTps(under)
    if (!this.tpsCache || this.tpsCache.version !== this.tpsVersion) {
      this.tpsCache = { version: this.tpsVersion, tps: this.store.listTps() }
    }
    return this.tpsCache.tps
  }

  /** The registry by TPS code, as committed; rebuilt after a batch that changed it. */
  private tpsByCode(): Map<string, TpsRecord> {
    if (!this.tpsIndex || this.tpsIndex.version !== this.tpsVersion) {
      this.tpsIndex = {
        version: this.tpsVersion,
        byCode: new Map(this.listTps().map((t) => [t.code, t])),
      }
    }
    return this.tpsIndex.byCode
  }

  getTps(code: string): TpsRecord {
    const tps = this.store.getTps(code)
    if (!tps) throw notFound(`TPS ${code} tidak terdaftar`)
    return tps
  }

  async setTpsStatus(
    actor: Principal,
    code: string,
    input: {
      status: TpsRecord['status']
      reason?: string
      mergedInto?: string
      confirmResults?: boolean
    },
    options: { simulated?: boolean } = {},
  ): Promise<TpsRecord> {
    this.getTps(code)
    if (input.status === 'merged') {
      if (input.mergedInto === code)
        throw new DeskError(400, 'invalid', 'TPS tidak bisa digabung ke dirinya sendiri', {
          mergedInto: 'TPS tujuan harus TPS lain',
        })
      if (!this.store.getTps(input.mergedInto!)) {
        throw new DeskError(400, 'invalid', `TPS tujuan ${input.mergedInto} tidak terdaftar`, {
          mergedInto: 'TPS tujuan tidak terdaftar',
        })
      }
    }
    await this.write(() => {
      // Results of a postponed or merged TPS leave the recap and progress (they stay stored and count
      // again if the TPS is made active). That must never happen unnoticed: the caller confirms.
      // Checked inside the writer, so a result queued in the same batch is seen too.
      const held = input.status === 'active' ? [] : this.store.resultsForTps(code)
      if (held.length > 0 && !input.confirmResults) {
        const names = held.map((r) => this.contest(r.contest)?.name ?? r.contest).join(', ')
        throw new DeskError(
          409,
          'tps_has_result',
          `TPS ${code} sudah punya hasil (${names}). Bila ${input.status === 'merged' ? 'digabung' : 'ditunda'}, angkanya keluar dari rekap dan progres (tetap tersimpan, dan dihitung lagi bila TPS diaktifkan kembali). Ulangi dengan konfirmasi bila memang begitu.`,
          { status: 'TPS sudah punya hasil; perlu konfirmasi' },
        )
      }
      // A simulator's change keeps what it replaced in its audit entry: purge-simulated puts it back.
      const before = options.simulated ? this.store.getTps(code)! : null
      this.store.setTpsStatus(
        code,
        input.status,
        input.reason ?? null,
        input.status === 'merged' ? input.mergedInto! : null,
      )
      const detail =
        held.length > 0 ? { ...input, resultsLeftRecap: held.map((r) => r.contest) } : input
      this.store.audit(
        actor.id,
        'tps.status',
        code,
        before
          ? {
              ...detail,
              simulated: true,
              previous: {
                status: before.status,
                reason: before.statusReason,
                mergedInto: before.mergedInto,
              },
            }
          : detail,
      )
      this.store.appendEvent('tps.status', { tps: code, ...input })
    })
    return this.getTps(code)
  }

  // ---------------------------------------------------------------- people
  /** One person's fresh codes (credentials.ts issueCodes); the writer job checks the code is free. */
  private async newCodes(): Promise<IssuedCodes> {
    const [one] = await issueCodes(1, (id) => !!this.store.userByCodeId(id))
    return one!
  }

  async createUser(
    actor: Principal,
    input: UserCreate,
    options: { simulated?: boolean } = {},
  ): Promise<{ id: string; accessCode: string; smsCode: string; user: UserRecord }> {
    let region = input.region ?? this.regions.regency.code
    if (input.role === 'reporter') {
      if (!input.region)
        throw new DeskError(400, 'invalid', 'Wilayah pelapor wajib diisi', {
          region: 'Kode desa/kelurahan atau kecamatan wajib diisi untuk pelapor',
        })
      const level = regionLevel(region)
      if (!this.regions.contains(region) || (level !== 'desa' && level !== 'kecamatan')) {
        throw new DeskError(
          400,
          'invalid',
          `Wilayah ${region} bukan desa/kelurahan atau kecamatan di ${this.regions.regency.name}`,
          {
            region: 'Kode wilayah tidak dikenal',
          },
        )
      }
    } else if (!this.regions.contains(region)) {
      throw new DeskError(
        400,
        'invalid',
        `Wilayah ${region} tidak ada di ${this.regions.regency.name}`,
        { region: 'Kode wilayah tidak dikenal' },
      )
    }
    region = region.trim()
    const { code, codeId, codeHash, smsCode, smsHash } = await this.newCodes()
    const user = await this.write(() => {
      if (this.store.userByCodeId(codeId)) throw new DeskError(503, 'retry', 'Coba lagi')
      const user: UserRecord = {
        id: randomUUID(),
        name: input.name,
        phone: input.phone ?? '',
        role: input.role,
        region,
        codeId,
        codeHash,
        simulated: !!options.simulated,
        createdAt: this.store.nowIso(),
        revokedAt: null,
      }
      this.store.insertUser(user)
      this.smsStore.setCode(user.id, smsHash, user.createdAt)
      this.store.audit(actor.id, 'user.create', user.id, {
        role: user.role,
        region: user.region,
        simulated: user.simulated,
      })
      return user
    })
    return { id: user.id, accessCode: code, smsCode, user }
  }

  async revokeUser(actor: Principal, id: string): Promise<void> {
    if (!this.store.userById(id)) throw notFound('Pengguna tidak ditemukan')
    await this.write(() => {
      this.store.revokeUser(id)
      this.store.audit(actor.id, 'user.revoke', id)
    })
  }

  /** A new code for a person (lost, leaked, or revoked): the old one stops working at once. */
  async reissueUser(
    actor: Principal,
    id: string,
  ): Promise<{ accessCode: string; smsCode: string }> {
    if (!this.store.userById(id)) throw notFound('Pengguna tidak ditemukan')
    // The SMS code is reissued with it: a lost card gives away both.
    const { code, codeId, codeHash, smsCode, smsHash } = await this.newCodes()
    await this.write(() => {
      if (this.store.userByCodeId(codeId)) throw new DeskError(503, 'retry', 'Coba lagi')
      this.store.reissueUserCode(id, codeId, codeHash)
      this.smsStore.setCode(id, smsHash, this.store.nowIso())
      this.store.audit(actor.id, 'user.reissue', id)
    })
    return { accessCode: code, smsCode }
  }

  // ---------------------------------------------------------------- results (the write path)
  /** May this principal report for this TPS? Reporters only inside their own desa or kecamatan. */
  canReportFor(p: Principal, tps: string): boolean {
    if (p.role === 'reporter') return isWithin(tps, p.region)
    return atLeast(p, 'operator')
  }

  async submitResult(
    p: Principal,
    body: ResultSubmission,
    meta: SubmitMeta,
  ): Promise<SubmitOutcome> {
    if (p.role === 'display') throw forbidden('Akun tampilan (display) tidak bisa mengirim hasil')
    const payload = canonicalJson(body)
    const hash = sha256(payload)

    // A refusal is answered only after it is kept whole in the refusals log (its own write): who,
    // channel, when, from where, the payload and why. Not under the idempotency key, so a corrected
    // sheet can be resent with the same submissionId. But a submissionId this sender already used
    // is answered as such first: its first answer again, or 409 whatever the other body holds.
    // (A request that passes the checks meets the same idempotency check inside the writer.)
    const refuse = async (error: DeskError, audit?: () => void): Promise<SubmitOutcome> => {
      const earlier = this.store.findSubmission(p.id, body.submissionId)
      // Its first answer again — once the commit that stored it is on disk (it may still be syncing).
      if (earlier) return this.durable().then(() => replayOf(earlier, hash))
      // One sender cannot fill the disk: past its budget a refusal is answered the same, not kept.
      if (!this.refusalBudget.take(p.id, Date.parse(this.store.nowIso()))) throw error
      await this.write(() => {
        this.store.appendRefusal({
          submissionId: body.submissionId,
          actor: p.id,
          channel: meta.channel,
          receivedAt: this.store.nowIso(),
          address: meta.address,
          tps: body.tps,
          contest: body.contest,
          payload: keptPayload(payload),
          hash,
          status: error.status,
          code: error.code,
          fields: error.fields ?? {},
        })
        audit?.()
      })
      throw error
    }
    // The committed registry, from memory (the writer reads the TPS's status again).
    const tps = this.tpsByCode().get(body.tps)
    if (!tps)
      return refuse(
        new DeskError(404, 'not_found', `TPS ${body.tps} tidak terdaftar`, {
          tps: 'TPS tidak terdaftar',
        }),
      )
    const contest = this.contest(body.contest)
    if (!contest)
      return refuse(
        new DeskError(404, 'not_found', `Pemilihan "${body.contest}" tidak dikenal`, {
          contest: 'Pemilihan tidak dikenal',
        }),
      )
    if (!this.canReportFor(p, tps.code)) {
      return refuse(
        new DeskError(
          403,
          'forbidden',
          `TPS ${tps.code} di luar wilayah tugas Anda (${p.region})`,
          { tps: 'Di luar wilayah tugas' },
        ),
      )
    }
    const sheet: ResultSheet = {
      votes: body.votes as Record<string, number>,
      invalid: body.invalid as number,
      ...(body.voters ? { voters: body.voters as ResultSheet['voters'] } : {}),
    }

    // Hard errors are refused before anything is logged as a submission.
    const check = checkResultSheet(sheet, { candidates: contest.candidates, dpt: tps.dpt })
    if (check.errors.length > 0) {
      return refuse(
        new DeskError(
          400,
          'invalid',
          check.errors[0]!.message,
          Object.fromEntries(check.errors.map((e) => [e.field, e.message])),
        ),
        () =>
          this.store.audit(p.id, 'result.rejected', `${tps.code}/${contest.id}`, {
            channel: meta.channel,
            errors: check.errors.map((e) => `${e.field}:${e.code}`),
          }),
      )
    }
    const inactive = inactiveError(tps)
    if (inactive) return refuse(inactive)

    const written = await this.write((): SubmitOutcome | { refused: DeskError } => {
      // Idempotency first: a retry must get its answer back even if the TPS changed since.
      const previous = this.store.findSubmission(p.id, body.submissionId)
      if (previous) return replayOf(previous, hash)
      // The TPS may have been postponed or merged while this request waited for the writer: a
      // refusal like the others, kept in the refusals log (its own write, below).
      const stillInactive = inactiveError(this.store.getTps(body.tps)!)
      if (stillInactive) return { refused: stillInactive }
      const standing = this.store.getResult(tps.code, contest.id)
      let outcome: ResultAnswer['status']
      let httpStatus: SubmitOutcome['httpStatus']
      if (!standing) {
        outcome = 'accepted'
        httpStatus = 201
      } else {
        const standingSheet: ResultSheet = {
          votes: standing.votes,
          invalid: standing.invalid,
          ...(standing.voters ? { voters: standing.voters } : {}),
        }
        const same = sameSheet(sheet, standingSheet)
        outcome = same ? 'duplicate' : 'conflict'
        httpStatus = outcome === 'duplicate' ? 200 : 202
      }
      // The log row carries the answer a retry gets back, so the answer is settled first. We are
      // the only writer, inside its transaction, so the next sequence number is known.
      const seq = this.store.nextSubmissionSeq()
      const answer: ResultAnswer = {
        status: outcome,
        receipt: receiptOf(seq, hash),
        tps: tps.code,
        contest: contest.id,
        warnings: outcome === 'accepted' ? check.warnings : [],
      }
      let conflictKind: 'conflict' | 'correction' | null = null
      if (outcome === 'conflict') {
        conflictKind = body.correction ? 'correction' : 'conflict'
        answer.conflictId = this.ledger.nextConflictId()
      }
      this.store.appendSubmission({
        seq,
        submissionId: body.submissionId,
        actor: p.id,
        channel: meta.channel,
        receivedAt: this.store.nowIso(),
        address: meta.address,
        tps: tps.code,
        contest: contest.id,
        payload,
        hash,
        outcome,
        answer: JSON.stringify(answer),
      })
      if (outcome === 'accepted') {
        this.ledger.accept({
          tps: tps.code,
          contest: contest.id,
          seq,
          sheet,
          check,
          channel: meta.channel,
          receipt: answer.receipt,
        })
      } else if (conflictKind) {
        this.store.audit(p.id, `result.${conflictKind}`, `${tps.code}/${contest.id}`, {
          conflictId: answer.conflictId,
          seq,
        })
        this.ledger.hold({
          id: answer.conflictId!,
          tps: tps.code,
          contest: contest.id,
          kind: conflictKind,
          seq,
          standingSeq: standing!.submissionSeq,
          channel: meta.channel,
        })
      }
      return { httpStatus, answer }
    })
    return 'refused' in written ? refuse(written.refused) : written
  }

  // ---------------------------------------------------------------- reads
  /**
   * Every change to a standing result is announced by one of these events, naming its TPS and
   * contest: the result ledger (./ledger.ts), the only writer of `results`, appends them with the
   * write. After a commit only those rows are read again, not all 4,046.
   */
  private noteResultChanges(events: DeskEvent[]): void {
    for (const e of events) {
      // A purge of simulated data removes results in bulk (and may put TPS statuses back): rebuild.
      if (e.type === 'config.changed' || e.type === 'simulation.purged') {
        this.contestsCache = null
        this.recapCache.clear()
        this.dirtyResults.clear()
        continue
      }
      if (!isResultChange(e)) continue
      const d = e.data
      let set = this.dirtyResults.get(d.contest)
      if (!set) this.dirtyResults.set(d.contest, (set = new Set()))
      set.add(d.tps)
    }
  }

  private recapState(contestId: string) {
    const contest = this.contest(contestId)
    if (!contest)
      throw new DeskError(404, 'not_found', `Pemilihan "${contestId}" tidak dikenal`, {
        contest: 'Pemilihan tidak dikenal',
      })
    const cached = this.recapCache.get(contestId)
    if (cached) {
      if (cached.version === this.version) return cached
      const dirty = this.dirtyResults.get(contestId)
      if (dirty) {
        for (const tps of dirty) {
          const r = this.store.recapResult(tps, contestId)
          if (r) cached.input.results.set(tps, r)
          else cached.input.results.delete(tps)
        }
        this.dirtyResults.delete(contestId)
        cached.levels = null
      }
      if (cached.tpsVersion !== this.tpsVersion) {
        cached.input = { ...cached.input, tps: this.listTps() }
        cached.tpsVersion = this.tpsVersion
        cached.levels = null
      }
      cached.version = this.version
      return cached
    }
    this.dirtyResults.delete(contestId)
    const fresh = {
      version: this.version,
      tpsVersion: this.tpsVersion,
      input: {
        regions: this.regions,
        tps: this.listTps(),
        results: this.store.recapResults(contestId),
        candidates: contest.candidates,
      },
      levels: null,
    }
    this.recapCache.set(contestId, fresh)
    return fresh
  }

  private recapInput(contestId: string): RecapInput {
    return this.recapState(contestId).input
  }

  /** All four levels of a contest, computed once per change of its results or the registry. */
  private recapLevels(contestId: string): RecapLevels {
    const state = this.recapState(contestId)
    state.levels ??= recapAllLevels(state.input)
    return state.levels
  }

  /** Codes of the TPS that have a result in this contest. */
  reportedSet(contestId: string): Set<string> {
    return new Set(this.recapInput(contestId).results.keys())
  }

  recap(contestId: string, level: RecapLevel, parent?: string): RecapDto {
    const input = this.recapInput(contestId)
    if (parent !== undefined) {
      const parentLevel = regionLevel(parent)
      const allowed: Record<RecapLevel, string[]> = {
        kabupaten: ['kabupaten'],
        kecamatan: ['kabupaten'],
        desa: ['kabupaten', 'kecamatan'],
        tps: ['kabupaten', 'kecamatan', 'desa'],
      }
      if (!this.regions.contains(parent) || !parentLevel || !allowed[level].includes(parentLevel)) {
        throw new DeskError(
          400,
          'invalid',
          `Wilayah induk ${parent} tidak cocok untuk level ${level}`,
          {
            parent: 'Kode wilayah induk tidak dikenal atau tidak cocok dengan level',
          },
        )
      }
    }
    // Boards and consoles ask for the same views after every event: each is cut from the levels
    // once per change of the figures.
    const levels = this.recapLevels(contestId)
    const key = `${contestId}|${level}|${parent ?? ''}`
    let view = this.recapViews.get(key)
    if (!view || view.levels !== levels) {
      const all: RecapRow[] = levels[level]
      const rows = parent
        ? all.filter((r) => r.code === parent || r.code.startsWith(parent + '.'))
        : all
      const scope = parent ? this.regions.get(parent)! : this.regions.regency
      view = { levels, rows, total: sumRows(rows, scope.code, scope.name, input.candidates) }
      this.recapViews.set(key, view)
    }
    return {
      contest: contestId,
      level,
      parent: parent ?? null,
      asOf: this.store.nowIso(),
      candidates: input.candidates,
      rows: view.rows,
      total: view.total,
    }
  }

  private progressCache: { version: number; value: ProgressDto } | null = null

  /** Progress per contest and kecamatan; computed once per committed batch, however many boards ask. */
  progress(): ProgressDto {
    if (this.progressCache?.version === this.version)
      return { ...this.progressCache.value, asOf: this.store.nowIso() }
    const contests: ContestProgress[] = this.contests().map((c) => {
      const pct = (r: number, e: number) => (e > 0 ? Math.round((r / e) * 1000) / 10 : 0)
      const kec = this.recapLevels(c.id).kecamatan.map((r) => ({
        code: r.code,
        name: r.name,
        expected: r.tpsTotal,
        reported: r.tpsReported,
        percent: pct(r.tpsReported, r.tpsTotal),
      }))
      const expected = kec.reduce((a, r) => a + r.expected, 0)
      const reported = kec.reduce((a, r) => a + r.reported, 0)
      return {
        contest: c.id,
        code: this.regions.regency.code,
        name: c.name,
        expected,
        reported,
        percent: pct(reported, expected),
        kecamatan: kec,
      }
    })
    const value = { asOf: this.store.nowIso(), lastEventId: this.store.lastEventId(), contests }
    this.progressCache = { version: this.version, value }
    return value
  }
}
