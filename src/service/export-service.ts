// The export feature's use cases: collect the recap data, build the workbooks (cached per data
// version), freeze snapshots, import KPU's figures and compare. One instance per DeskService.
// The data is read here, on the desk's thread (SQLite); the workbooks are built in a worker thread
// (WorkbookBuilder), so a build never holds up results arriving or the boards.

import { gunzipSync } from 'node:zlib'
import { parseKpuTable } from '../export/kpu-table'
import { reconcile, type ReconcileReport } from '../export/reconcile'
import type { BuiltWorkbook } from '../export/recap-workbook'
import {
  EXPORT_PROFILES,
  SOURCE_FORMAT,
  sha256Hex,
  type ExportProfile,
  type KpuSet,
  type RecapSource,
  type SourceIncident,
  type SourcePerson,
  type SourceResult,
} from '../export/source'
import { RecapQueries, type KpuImportRecord, type SnapshotRecord } from '../store/recap-queries'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'
import { formatCount } from '../shared/format'
import { DeskError, notFound } from './errors'
import type { Principal } from './principal'
import { WorkbookBuilder } from './workbook-builder'

export const DEFAULT_KPU_THRESHOLD = 1
/** A cached workbook is served again only while the data is unchanged and it is this fresh. */
const CACHE_MS = 30_000
/**
 * Live workbooks kept at once (recap per profile and threshold, KPU report per threshold), all of the
 * data version now: enough for every screen of a desk, few enough that varied requests cannot fill memory.
 */
export const CACHE_ENTRIES = 8
/**
 * Builds allowed in the worker's queue (the running one included) before a new live build is refused:
 * each is about a second of the worker, so a longer queue only makes every screen wait longer.
 */
export const MAX_PENDING_BUILDS = 4
/** What a refused build tells the client (Retry-After, seconds): a few builds' time. */
export const EXPORT_RETRY_SECONDS = 5

/**
 * The KPU difference threshold as used: rounded to 0.1 percentage point, so 1.04 and 1 are one
 * threshold (one build, one cache entry) and every output (recap, report, snapshot) agrees on it.
 */
export function normaliseThreshold(percent: number): number {
  return Math.round(percent * 10) / 10
}

const busy = () =>
  new DeskError(
    503,
    'export_busy',
    `Desk sedang menyiapkan beberapa berkas rekap. Coba lagi dalam ${EXPORT_RETRY_SECONDS} detik.`,
  )

interface CachedBuild {
  version: number
  at: number
  built: Promise<BuiltWorkbook>
}

export interface KpuImportResult {
  import: KpuImportRecord
  figures: number
}

function person(name: string | null, phone: string | null): SourcePerson | null {
  return name ? { name, phone: phone ?? '' } : null
}

export class ExportService {
  private readonly queries: RecapQueries
  /** The worker that turns recap data into workbook bytes, one build at a time. */
  readonly builder = new WorkbookBuilder()
  /** Live builds by kind, profile and threshold; Map order is use order (least recently used first). */
  private cache = new Map<string, CachedBuild>()
  private serial: Promise<unknown> = Promise.resolve()

  readonly service: DeskService

  /**
   * One per desk, built by createExport (routers and the CLI share it, so freezes are serialised).
   */
  constructor(private readonly core: DeskCore) {
    const service = (this.service = core.desk)
    this.queries = new RecapQueries(core.store.db)
    // Builds of data that has since changed are never served again: let their bytes go at once.
    service.bus.subscribe(() => {
      if (this.cache.size > 0) this.dropStale()
    })
  }

  /** A desk stopping: refuse builds not finished and end the worker (a no-op when nothing was exported). */
  shutdown(): Promise<void> {
    return this.builder.close()
  }

  /** Keys of the live builds held now, least recently used first (`recap|profile|threshold`, `kpu|threshold`). */
  get cachedBuilds(): string[] {
    return [...this.cache.keys()]
  }

  /** Run one at a time: a snapshot's number is settled before its workbooks are built. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn)
    this.serial = run.catch(() => undefined)
    return run
  }

  // ---------------------------------------------------------------- the data
  source(thresholdPercent = DEFAULT_KPU_THRESHOLD): RecapSource {
    const { service } = this
    const store = this.core.store
    const cfg = service.config()
    const conflicts = this.queries.openConflictsByContest()
    const disputes = this.queries.openDisputes()
    const contests = cfg.contests.map((c) => ({
      id: c.id,
      name: c.name,
      candidates: c.candidates.map((k) => ({ number: k.number, name: k.name })),
      openConflicts: conflicts.get(c.id) ?? 0,
      disputes: disputes.get(c.id) ?? [],
    }))
    const results: Record<string, SourceResult[]> = {}
    for (const c of contests) {
      const keys = c.candidates.map((k) => String(k.number))
      results[c.id] = this.queries.resultsForExport(c.id).map((r) => ({
        tps: r.tps,
        votes: keys.map((k) => r.votes[k] ?? 0),
        valid: r.valid,
        invalid: r.invalid,
        total: r.total,
        voters: r.voters,
        receivedAt: r.receivedAt,
        channel: r.channel,
        review: r.review,
        reporter:
          r.actor === 'admin' ? { name: 'Admin desk', phone: '' } : person(r.userName, r.userPhone),
        caller: person(r.callerName, r.callerPhone),
      }))
    }
    const incidents = this.queries.incidents()
    const regions = service.regions
    return {
      format: SOURCE_FORMAT,
      generatedAt: store.nowIso(),
      desk: {
        regency: { code: regions.regency.code, name: regions.regency.name },
        election: { name: cfg.election.name, date: cfg.election.date },
        training: service.training,
      },
      contests,
      kecamatan: regions.kecamatan.map((k) => ({ code: k.code, name: k.name })),
      desa: regions.desa.map((d) => ({
        code: d.code,
        name: d.name,
        kecamatan: d.parent ?? d.code.slice(0, 8),
      })),
      tps: service.listTps().map((t) => ({
        code: t.code,
        desa: t.desa,
        number: t.number,
        dpt: t.dpt,
        dptL: t.dptL,
        dptP: t.dptP,
        status: t.status,
        reason: t.statusReason,
        mergedInto: t.mergedInto,
      })),
      results,
      reporters: this.queries.activeReporters(),
      incidents:
        incidents?.map((i): SourceIncident => ({
          id: i.id,
          at: i.at,
          region: i.region,
          tps: i.tps,
          category: i.category,
          urgency: i.urgency,
          text: i.text,
          photo: i.photo,
          status: i.status,
          simulated: i.simulated,
          reporter:
            i.reporter === 'admin'
              ? { name: 'Admin desk', phone: '' }
              : person(i.userName, i.userPhone),
        })) ?? null,
      kpu: this.kpuSource(contests, thresholdPercent),
    }
  }

  /** Per contest, the figures of the latest KPU import that carried it. */
  private kpuSource(
    contests: { id: string; candidates: { number: number }[] }[],
    thresholdPercent: number,
  ): RecapSource['kpu'] {
    const imports = this.queries.listKpuImports()
    const sets: KpuSet[] = []
    for (const c of contests) {
      const imp = imports.find((i) => i.contests.includes(c.id))
      if (!imp) continue
      const keys = c.candidates.map((k) => String(k.number))
      sets.push({
        contest: c.id,
        importId: imp.id,
        importedAt: imp.at,
        source: imp.source,
        level: imp.level,
        figures: this.queries.kpuFigures(imp.id, c.id).map((f) => ({
          region: f.region,
          votes: keys.map((k) => f.votes[k] ?? 0),
          valid: f.valid,
          invalid: f.invalid,
        })),
      })
    }
    return sets.length > 0 ? { thresholdPercent, sets } : null
  }

  // ---------------------------------------------------------------- live workbook
  /**
   * The recap workbook now. A build is about a second of the worker's time for a regency, so while
   * the data is unchanged and fresh the same build is served again (screens asking at once share
   * one build in progress).
   */
  workbook(
    profile: ExportProfile,
    thresholdPercent = DEFAULT_KPU_THRESHOLD,
  ): Promise<BuiltWorkbook> {
    const pct = normaliseThreshold(thresholdPercent)
    return this.shared(`recap|${profile}|${pct}`, () =>
      this.builder
        .run({
          kind: 'recap',
          source: this.source(pct),
          builds: [{ profile, thresholdPercent: pct }],
        })
        .then((a) => a.built[0]!),
    )
  }

  /**
   * One live build per key and data version: a request finding one (done or in progress) shares it
   * and costs nothing; a new one reads the data here and queues a build, unless the worker already
   * has MAX_PENDING_BUILDS waiting (503 export_busy, before the data is read).
   */
  private shared(key: string, start: () => Promise<BuiltWorkbook>): Promise<BuiltWorkbook> {
    this.dropStale()
    const hit = this.cache.get(key)
    if (hit) {
      this.cache.delete(key)
      this.cache.set(key, hit)
      return hit.built
    }
    if (this.builder.pending >= MAX_PENDING_BUILDS) return Promise.reject(busy())
    const version = this.service.version
    let built: Promise<BuiltWorkbook>
    try {
      built = start()
    } catch (e) {
      return Promise.reject(e)
    }
    const entry: CachedBuild = { version, at: Date.now(), built }
    this.cache.set(key, entry)
    // The least recently used goes; a build of it still in progress finishes for those waiting on it.
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!)
    // A failed build is not served again: the next request tries anew.
    built.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key)
    })
    return built
  }

  /** Forget builds of an older data version or past their freshness. */
  private dropStale(): void {
    const now = Date.now()
    const version = this.service.version
    for (const [key, entry] of this.cache) {
      if (entry.version !== version || now - entry.at >= CACHE_MS) this.cache.delete(key)
    }
  }

  // ---------------------------------------------------------------- snapshots
  /** "Bekukan rekap": store the data and both profiles' workbooks, immutable, labelled with time and SHA-256. */
  /** `confirmedOpen`: how many waiting reports the operator was shown and accepted (0: none). */
  freeze(
    actor: Principal,
    label: string,
    threshold = DEFAULT_KPU_THRESHOLD,
    confirmedOpen = 0,
  ): Promise<SnapshotRecord> {
    const thresholdPercent = normaliseThreshold(threshold)
    return this.exclusive(async () => {
      const source = this.source(thresholdPercent)
      // A snapshot can never change: freezing while reports wait for a supervisor is a choice the
      // operator makes knowingly (the first sheet then says how many were open); a yes given to fewer
      // than are waiting now is asked again.
      const open = source.contests.reduce((a, c) => a + c.openConflicts, 0)
      if (open > confirmedOpen) throw openConflictsError(source, confirmedOpen)
      const id = this.queries.nextSnapshotId()
      const snapshot = { id, label, frozenAt: source.generatedAt }
      const answer = await this.builder.run({
        kind: 'recap',
        source,
        builds: EXPORT_PROFILES.map((profile) => ({ profile, snapshot, thresholdPercent })),
        gzipSource: true,
      })
      const files = EXPORT_PROFILES.map((profile, i) => ({ profile, built: answer.built[i]! }))
      const dataSha256 = files[0]!.built.dataSha256
      const summary = source.contests.map((c) => {
        const reported = new Set(source.results[c.id]!.map((r) => r.tps))
        const active = source.tps.filter((t) => t.status === 'active')
        return {
          contest: c.id,
          reported: active.filter((t) => reported.has(t.code)).length,
          expected: active.length,
          openConflicts: c.openConflicts,
        }
      })
      const data = answer.gzippedSource!
      await this.service.write(() => {
        if (this.queries.nextSnapshotId() !== id) {
          throw new DeskError(409, 'retry', 'Snapshot lain baru saja dibuat. Coba bekukan lagi.')
        }
        this.queries.insertSnapshot({
          id,
          createdAt: source.generatedAt,
          actor: actor.id,
          label,
          dataSha256,
          data,
          summary,
        })
        for (const f of files) {
          this.queries.insertSnapshotFile({
            snapshot: id,
            profile: f.profile,
            filename: f.built.filename,
            sha256: f.built.sha256,
            bytes: f.built.bytes,
          })
        }
        const fileHashes = Object.fromEntries(files.map((f) => [f.profile, f.built.sha256]))
        this.core.store.audit(actor.id, 'export.freeze', String(id), {
          label,
          dataSha256,
          files: fileHashes,
          openConflicts: open,
        })
        this.core.store.appendEvent('snapshot.created', {
          id,
          at: source.generatedAt,
          label,
          dataSha256,
          files: fileHashes,
        })
      })
      return this.snapshot(id)
    })
  }

  listSnapshots(): SnapshotRecord[] {
    return this.queries.listSnapshots()
  }

  snapshot(id: number): SnapshotRecord {
    const s = this.queries.getSnapshot(id)
    if (!s) throw notFound(`Snapshot #${id} tidak ada`)
    return s
  }

  snapshotFile(
    id: number,
    profile: ExportProfile,
  ): { filename: string; sha256: string; bytes: Buffer } {
    this.snapshot(id)
    const f = this.queries.snapshotFile(id, profile)
    if (!f) throw notFound(`Snapshot #${id} tidak punya berkas profil ${profile}`)
    return f
  }

  snapshotSource(id: number): RecapSource {
    const data = this.queries.snapshotData(id)
    if (!data) throw notFound(`Snapshot #${id} tidak ada`)
    return JSON.parse(gunzipSync(data).toString('utf8')) as RecapSource
  }

  /** Rebuild each workbook from the stored data and compare with the stored bytes. */
  async verifySnapshot(id: number): Promise<{
    id: number
    files: { profile: string; sha256: string; rebuiltSha256: string; identical: boolean }[]
  }> {
    const snap = this.snapshot(id)
    // A rebuild on demand, like a live download: it waits in the same bounded queue.
    if (this.builder.pending >= MAX_PENDING_BUILDS) throw busy()
    const gzipped = this.queries.snapshotData(id)
    if (!gzipped) throw notFound(`Snapshot #${id} tidak ada`)
    const snapshot = { id, label: snap.label, frozenAt: snap.createdAt }
    // The threshold is the one frozen into the data (the worker reads it from there).
    const { built } = await this.builder.run({
      kind: 'rebuild',
      gzipped,
      builds: snap.files.map((f) => ({ profile: f.profile as ExportProfile, snapshot })),
    })
    const files = snap.files.map((f, i) => {
      const stored = this.snapshotFile(id, f.profile as ExportProfile)
      const rebuilt = built[i]!
      return {
        profile: f.profile,
        sha256: stored.sha256,
        rebuiltSha256: rebuilt.sha256,
        identical: rebuilt.bytes.equals(stored.bytes),
      }
    })
    return { id, files }
  }

  // ---------------------------------------------------------------- KPU reconciliation
  /** Import KPU's figures from a table. All or nothing: one bad cell and nothing is stored. */
  async importKpu(
    actor: Principal,
    table: string[][],
    options: { contest?: string; source: string; fileSha256: string },
  ): Promise<KpuImportResult> {
    const { service } = this
    const contests = service.contests()
    const { parsed, errors } = parseKpuTable(table, {
      regencyName: service.regions.regency.name,
      kecamatan: new Set(service.regions.kecamatan.map((k) => k.code)),
      desa: new Set(service.regions.desa.map((d) => d.code)),
      tps: new Set(service.listTps().map((t) => t.code)),
      names: new Map(
        [...service.regions.kecamatan, ...service.regions.desa].map((r) => [r.code, r.name]),
      ),
      contests,
      ...(options.contest ? { contest: options.contest } : {}),
    })
    if (!parsed) {
      throw new DeskError(
        400,
        'import_invalid',
        `Tidak ada yang diimpor: ${errors.length} kesalahan. Perbaiki baris dan kolom yang disebut lalu impor ulang.`,
        undefined,
        errors,
      )
    }
    const record = await service.write(() => {
      const rec: KpuImportRecord = {
        id: this.queries.nextKpuImportId(),
        at: this.core.store.nowIso(),
        actor: actor.id,
        source: options.source,
        format: parsed.format,
        level: parsed.level,
        contests: parsed.sets.map((s) => s.contest),
        rows: parsed.rows,
        sha256: options.fileSha256,
      }
      this.queries.insertKpuImport(rec)
      for (const set of parsed.sets) {
        const cands = contests.find((c) => c.id === set.contest)!.candidates
        for (const f of set.figures) {
          this.queries.insertKpuFigure(rec.id, set.contest, {
            region: f.region,
            votes: Object.fromEntries(cands.map((c, i) => [String(c.number), f.votes[i] ?? 0])),
            valid: f.valid,
            invalid: f.invalid,
          })
        }
      }
      this.core.store.audit(actor.id, 'kpu.import', String(rec.id), {
        source: rec.source,
        level: rec.level,
        contests: rec.contests,
        rows: rec.rows,
        sha256: rec.sha256,
      })
      this.core.store.appendEvent('kpu.imported', {
        id: rec.id,
        level: rec.level,
        contests: rec.contests,
      })
      return rec
    })
    return { import: record, figures: parsed.sets.reduce((a, s) => a + s.figures.length, 0) }
  }

  listKpuImports(): KpuImportRecord[] {
    return this.queries.listKpuImports()
  }

  kpuReport(threshold = DEFAULT_KPU_THRESHOLD): ReconcileReport & { asOf: string } {
    const thresholdPercent = normaliseThreshold(threshold)
    const source = this.source(thresholdPercent)
    return { asOf: source.generatedAt, ...reconcile(source, thresholdPercent) }
  }

  /** The difference report as a workbook, shared and cached like the recap. */
  kpuReportWorkbook(threshold = DEFAULT_KPU_THRESHOLD): Promise<BuiltWorkbook> {
    const pct = normaliseThreshold(threshold)
    return this.shared(`kpu|${pct}`, () =>
      this.builder
        .run({ kind: 'reconcile', source: this.source(pct), thresholdPercent: pct })
        .then((a) => a.built[0]!),
    )
  }
}

/** 409 open_conflicts, carrying the count the client shows and sends back to confirm. */
export class OpenConflictsError extends DeskError {
  constructor(
    readonly openConflicts: number,
    message: string,
  ) {
    super(409, 'open_conflicts', message, {
      confirmOpenConflicts: `Kirim lagi dengan "confirmOpenConflicts": ${openConflicts} (jumlah yang ditampilkan) untuk tetap membekukan`,
    })
  }
}

/** What is waiting, and how to freeze anyway. */
function openConflictsError(source: RecapSource, confirmed: number): OpenConflictsError {
  const parts = source.contests
    .filter((c) => c.openConflicts > 0)
    .map((c) => `${c.name}: ${formatCount(c.openConflicts)}`)
  const total = source.contests.reduce((a, c) => a + c.openConflicts, 0)
  const grown =
    confirmed > 0 ? `Sejak dikonfirmasi (${formatCount(confirmed)}) jumlahnya bertambah. ` : ''
  return new OpenConflictsError(
    total,
    `${grown}${formatCount(total)} laporan berbeda/koreksi masih menunggu keputusan supervisor (${parts.join('; ')}). Putuskan dulu di konsol, atau bekukan juga dengan konfirmasi: snapshot akan mencatat jumlahnya dan TPS-nya ditandai.`,
  )
}

export function fileSha256(bytes: Buffer): string {
  return sha256Hex(bytes)
}
