import express, { Router, type Response } from 'express'
import {
  EXPORT_RETRY_SECONDS,
  ExportService,
  OpenConflictsError,
  fileSha256,
} from '../service/export-service'
import type { DeskCore } from '../service/core'
import { DeskError, forbidden } from '../service/errors'
import { atLeast, type Principal } from '../service/principal'
import {
  freezeSchema,
  kpuImportQuerySchema,
  kpuReportQuerySchema,
  recapDownloadQuerySchema,
  snapshotDownloadQuerySchema,
  type ExportProfileDto,
  type ReconcileReportDto,
  type SnapshotDto,
} from '../shared/export'
import type { Feature } from './features'
import { fileBody, parse, who, type RouteContext } from './routes'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * Reporters never download the recap. `berjenjang` (no reporter names or phone numbers) is for
 * display accounts and the desk's staff; `lengkap` carries people's phone numbers, so operators
 * and above only.
 */
function checkProfile(p: Principal, profile: ExportProfileDto): void {
  if (p.role === 'reporter') throw forbidden('Akun pelapor tidak dapat mengunduh rekap')
  if (profile === 'lengkap' && !atLeast(p, 'operator')) {
    throw forbidden(
      'Profil lengkap (dengan nama dan nomor HP pelapor) hanya untuk operator, supervisor atau admin',
    )
  }
}

function notReporter(p: Principal): void {
  if (p.role === 'reporter') throw forbidden('Akun pelapor tidak dapat membuka rekap')
}

function sendXlsx(res: Response, file: { bytes: Buffer; sha256: string; filename: string }): void {
  res.set({
    'Content-Type': XLSX_TYPE,
    'Content-Disposition': `attachment; filename="${file.filename}"`,
    'X-Desk-Sha256': file.sha256,
    'X-Desk-Filename': file.filename,
    'Cache-Control': 'no-store',
  })
  res.send(file.bytes)
}

/** A build refused because the worker's queue is full says when to ask again, as the rate limiter does. */
async function unlessBusy<T>(res: Response, build: () => Promise<T>): Promise<T> {
  try {
    return await build()
  } catch (e) {
    if (e instanceof DeskError && e.code === 'export_busy')
      res.set('Retry-After', String(EXPORT_RETRY_SECONDS))
    throw e
  }
}

function snapshotId(raw: unknown): number {
  const id = Number(raw)
  if (!Number.isInteger(id) || id < 1)
    throw new DeskError(400, 'invalid', 'Nomor snapshot harus bilangan bulat positif', {
      id: 'Nomor snapshot tidak sah',
    })
  return id
}

function snapshotDto(s: ReturnType<ExportService['snapshot']>, p: Principal): SnapshotDto {
  return {
    id: s.id,
    createdAt: s.createdAt,
    label: s.label,
    dataSha256: s.dataSha256,
    summary: s.summary,
    // The lengkap file's hash is harmless, but a display account cannot fetch it: list what it may have.
    files: s.files
      .filter((f) => f.profile === 'berjenjang' || atLeast(p, 'operator'))
      .map((f) => ({
        profile: f.profile as ExportProfileDto,
        filename: f.filename,
        sha256: f.sha256,
        size: f.size,
      })),
  }
}

/** Recap workbooks, frozen snapshots, KPU figures and the difference report. */
export function createExport(core: DeskCore): Feature<ExportService> {
  const service = new ExportService(core)
  return { service, router: (ctx) => exportRouter(ctx, service) }
}

function exportRouter(ctx: RouteContext, exports: ExportService): Router {
  const { requireAuth, json } = ctx
  const r = Router()

  // Built in the export worker: results and boards are still served meanwhile.
  r.get('/export/recap.xlsx', requireAuth(), async (req, res) => {
    const q = parse(recapDownloadQuerySchema, req.query)
    checkProfile(who(res), q.profile)
    sendXlsx(res, await unlessBusy(res, () => exports.workbook(q.profile, q.threshold)))
  })

  // ---------------------------------------------------------------- snapshots
  r.get('/export/snapshots', requireAuth(), (_req, res) => {
    const p = who(res)
    notReporter(p)
    res.json({ snapshots: exports.listSnapshots().map((s) => snapshotDto(s, p)) })
  })

  r.post('/export/snapshots', requireAuth('operator'), json, async (req, res) => {
    const body = parse(freezeSchema, req.body ?? {})
    try {
      const snap = await exports.freeze(
        who(res),
        body.label,
        body.threshold,
        body.confirmOpenConflicts || 0,
      )
      res.status(201).json(snapshotDto(snap, who(res)))
    } catch (e) {
      // The count the client shows and sends back as `confirmOpenConflicts`.
      if (e instanceof OpenConflictsError) {
        res.status(409).json({
          error: {
            code: e.code,
            message: e.message,
            fields: e.fields ?? {},
            openConflicts: e.openConflicts,
          },
        })
        return
      }
      throw e
    }
  })

  r.get('/export/snapshots/:id', requireAuth(), (req, res) => {
    const p = who(res)
    notReporter(p)
    res.json(snapshotDto(exports.snapshot(snapshotId(req.params.id)), p))
  })

  r.get('/export/snapshots/:id/recap.xlsx', requireAuth(), (req, res) => {
    const q = parse(snapshotDownloadQuerySchema, req.query)
    checkProfile(who(res), q.profile)
    sendXlsx(res, exports.snapshotFile(snapshotId(req.params.id), q.profile))
  })

  // The data a snapshot was built from: it includes reporters' phone numbers.
  r.get('/export/snapshots/:id/data.json', requireAuth('operator'), (req, res) => {
    const id = snapshotId(req.params.id)
    res.set('Content-Disposition', `attachment; filename="snapshot-${id}-data.json"`)
    res.json(exports.snapshotSource(id))
  })

  r.post('/export/snapshots/:id/verify', requireAuth('operator'), async (req, res) => {
    const id = snapshotId(req.params.id)
    res.json(await unlessBusy(res, () => exports.verifySnapshot(id)))
  })

  // ---------------------------------------------------------------- KPU figures
  r.post(
    '/export/kpu/import',
    requireAuth('operator'),
    express.raw({ type: () => true, limit: '20mb' }),
    async (req, res) => {
      const q = parse(kpuImportQuerySchema, req.query)
      const body = fileBody(req, 'Kirim berkas CSV atau XLSX data KPU sebagai isi permintaan')
      const result = await exports.importKpu(who(res), await ctx.uploads.read(body), {
        ...(q.contest ? { contest: q.contest } : {}),
        source: q.source || 'impor data KPU',
        fileSha256: fileSha256(body),
      })
      res.status(201).json({ ...result.import, figures: result.figures })
    },
  )

  r.get('/export/kpu/imports', requireAuth(), (_req, res) => {
    notReporter(who(res))
    res.json({ imports: exports.listKpuImports().map(({ actor: _actor, ...rest }) => rest) })
  })

  r.get('/export/kpu/report', requireAuth(), (req, res) => {
    notReporter(who(res))
    const q = parse(kpuReportQuerySchema, req.query)
    const report = exports.kpuReport(q.threshold)
    const dto: ReconcileReportDto = {
      asOf: report.asOf,
      thresholdPercent: report.thresholdPercent,
      contests: report.contests.map((c) => ({
        ...c,
        rows: q.only === 'flagged' ? c.rows.filter((row) => row.status === 'selisih') : c.rows,
        rowsTotal: c.rows.length,
      })),
    }
    res.json(dto)
  })

  r.get('/export/kpu/report.xlsx', requireAuth(), async (req, res) => {
    notReporter(who(res))
    const q = parse(kpuReportQuerySchema, req.query)
    sendXlsx(res, await unlessBusy(res, () => exports.kpuReportWorkbook(q.threshold)))
  })

  return r
}
