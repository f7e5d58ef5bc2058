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
  sha256Hex,
  type ExportProfile,
  type KpuSet,
  type RecapSource,
  type SourceIncident,
  type SourcePerson,
  type SourceResult,
} from '../export/source'
import { RecapQueries, type KpuImportRecord, type SnapshotRecord } from '../store/recap-queries'
import type { DeskService } from './desk-service'
import { DeskError, notFound } from './errors'
import type { Principal } from './principal'
import { WorkbookBuilder } from './workbook-builder'

export const DEFAULT_KPU_THRESHOLD = 1
/** A cached workbook is served again only while the data is unchanged and it is this fresh. */
const CACHE_MS = 30_000

export interface KpuImportResult {
  import: KpuImportRecord
  figures: number
}

const instances = new WeakMap<DeskService, ExportService>()

function person(name: string | null, phone: string | null): SourcePerson | null {
  return name ? { name, phone: phone ?? '' } : null
}

export class ExportService {
  readonly queries: RecapQueries
  /** The worker that turns recap data into workbook bytes, one build at a time. */
  readonly builder = new WorkbookBuilder()
  private cache = new Map<string, { version: number; at: number; built: Promise<BuiltWorkbook> }>()
  private serial: Promise<unknown> = Promise.resolve()

  /** The one export service of a desk (routers and the CLI share it, so freezes are serialised). */
  static for(service: DeskService): ExportService {
    let s = instances.get(service)
    if (!s) {
      s = new ExportService(service)
      instances.set(service, s)
    }
    return s
  }

  /** A desk stopping: refuse builds not finished and end the worker (a no-op when nothing was exported). */
  static async shutdown(service: DeskService): Promise<void> {
    await instances.get(service)?.builder.close()
  }

  private constructor(readonly service: DeskService) {
    this.queries = new RecapQueries(service.store.db)
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
    const store = service.store
    const cfg = service.config()
    const conflicts = this.queries.openConflictsByContest()
    const contests = cfg.contests.map((c) => ({
      id: c.id,
      name: c.name,
      candidates: c.candidates.map((k) => ({ number: k.number, name: k.name })),
      openConflicts: conflicts.get(c.id) ?? 0,
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
        reporter: r.actor === 'admin' ? { name: 'Admin desk', phone: '' } : person(r.userName, r.userPhone),
        caller: person(r.callerName, r.callerPhone),
      }))
    }
    const incidents = this.queries.incidents()
    const regions = service.regions
    return {
      format: 1,
      generatedAt: store.nowIso(),
      desk: {
        regency: { code: regions.regency.code, name: regions.regency.name },
        election: { name: cfg.election.name, date: cfg.election.date },
        training: service.training,
      },
      contests,
      kecamatan: regions.kecamatan.map((k) => ({ code: k.code, name: k.name })),
      desa: regions.desa.map((d) => ({ code: d.code, name: d.name, kecamatan: d.parent ?? d.code.slice(0, 8) })),
      tps: service.listTps().map((t) => ({
        code: t.code,
        desa: t.desa,
        number: t.number,
        dpt: t.dpt,
        status: t.status,
        reason: t.statusReason,
        mergedInto: t.mergedInto,
      })),
      results,
      reporters: this.queries.activeReporters(),
      incidents:
        incidents?.map(
          (i): SourceIncident => ({
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
            reporter: i.reporter === 'admin' ? { name: 'Admin desk', phone: '' } : person(i.userName, i.userPhone),
          }),
        ) ?? null,
      kpu: this.kpuSource(contests, thresholdPercent),
    }
  }

  /** Per contest, the figures of the latest KPU import that carried it. */
  private kpuSource(contests: { id: string; candidates: { number: number }[] }[], thresholdPercent: number): RecapSource['kpu'] {
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
  workbook(profile: ExportProfile, thresholdPercent = DEFAULT_KPU_THRESHOLD): Promise<BuiltWorkbook> {
    const key = `${profile}|${thresholdPercent}`
    const hit = this.cache.get(key)
    const now = Date.now()
    if (hit && hit.version === this.service.version && now - hit.at < CACHE_MS) return hit.built
    const version = this.service.version
    let built: Promise<BuiltWorkbook>
    try {
      const source = this.source(thresholdPercent)
      built = this.builder.run({ kind: 'recap', source, builds: [{ profile, thresholdPercent }] }).then((a) => a.built[0]!)
    } catch (e) {
      return Promise.reject(e)
    }
    const entry = { version, at: now, built }
    this.cache.set(key, entry)
    // A failed build is not served again: the next request tries anew.
    built.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key)
    })
    return built
  }

  // ---------------------------------------------------------------- snapshots
  /** "Bekukan rekap": store the data and both profiles' workbooks, immutable, labelled with time and SHA-256. */
  freeze(actor: Principal, label: string, thresholdPercent = DEFAULT_KPU_THRESHOLD): Promise<SnapshotRecord> {
    return this.exclusive(async () => {
      const source = this.source(thresholdPercent)
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
        return { contest: c.id, reported: active.filter((t) => reported.has(t.code)).length, expected: active.length }
      })
      const data = answer.gzippedSource!
      await this.service.write(() => {
        if (this.queries.nextSnapshotId() !== id) {
          throw new DeskError(409, 'retry', 'Snapshot lain baru saja dibuat. Coba bekukan lagi.')
        }
        this.queries.insertSnapshot({ id, createdAt: source.generatedAt, actor: actor.id, label, dataSha256, data, summary })
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
        this.service.store.audit(actor.id, 'export.freeze', String(id), { label, dataSha256, files: fileHashes })
        this.service.store.appendEvent('snapshot.created', { id, at: source.generatedAt, label, dataSha256, files: fileHashes })
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

  snapshotFile(id: number, profile: ExportProfile): { filename: string; sha256: string; bytes: Buffer } {
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
  async verifySnapshot(
    id: number,
  ): Promise<{ id: number; files: { profile: string; sha256: string; rebuiltSha256: string; identical: boolean }[] }> {
    const snap = this.snapshot(id)
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
      return { profile: f.profile, sha256: stored.sha256, rebuiltSha256: rebuilt.sha256, identical: rebuilt.bytes.equals(stored.bytes) }
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
        at: service.store.nowIso(),
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
      service.store.audit(actor.id, 'kpu.import', String(rec.id), {
        source: rec.source,
        level: rec.level,
        contests: rec.contests,
        rows: rec.rows,
        sha256: rec.sha256,
      })
      service.store.appendEvent('kpu.imported', { id: rec.id, level: rec.level, contests: rec.contests })
      return rec
    })
    return { import: record, figures: parsed.sets.reduce((a, s) => a + s.figures.length, 0) }
  }

  listKpuImports(): KpuImportRecord[] {
    return this.queries.listKpuImports()
  }

  kpuReport(thresholdPercent = DEFAULT_KPU_THRESHOLD): ReconcileReport & { asOf: string } {
    const source = this.source(thresholdPercent)
    return { asOf: source.generatedAt, ...reconcile(source, thresholdPercent) }
  }

  async kpuReportWorkbook(thresholdPercent = DEFAULT_KPU_THRESHOLD): Promise<BuiltWorkbook> {
    const { built } = await this.builder.run({ kind: 'reconcile', source: this.source(thresholdPercent), thresholdPercent })
    return built[0]!
  }
}

export function fileSha256(bytes: Buffer): string {
  return sha256Hex(bytes)
}
