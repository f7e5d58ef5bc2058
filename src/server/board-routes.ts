import express, { Router, type Request } from 'express'
import { z } from 'zod'
import { BoardService } from '../service/board-service'
import type { DeskCore } from '../service/core'
import { DeskError } from '../service/errors'
import type { Feature } from './features'
import { fileBody, parse, who, type RouteContext } from './routes'
import { jsonDepth } from './json-body'

const importQuerySchema = z.object({
  property: z
    .string({ error: 'Parameter property (nama properti berisi kode Kemendagri) wajib diisi' })
    .trim()
    .min(1, { error: 'Parameter property wajib diisi' })
    .max(100, { error: 'Nama properti terlalu panjang' }),
  name: z.string().trim().max(200, { error: 'Nama berkas terlalu panjang' }).optional(),
})

const summaryQuerySchema = z.object({
  kecamatan: z
    .string({ error: 'Parameter kecamatan harus satu kode kecamatan, contoh 35.09.01' })
    .trim()
    .min(1, {
      error: 'Parameter kecamatan kosong: sebutkan kode kecamatan atau hapus parameternya',
    })
    .max(20, { error: 'Kode kecamatan terlalu panjang' })
    .optional(),
})

const levelSchema = z.enum(['kecamatan', 'desa'], { error: 'Lapisan harus kecamatan atau desa' })

function bodyText(req: Request): string {
  const body = fileBody(req, 'Kirim berkas GeoJSON atau TopoJSON sebagai isi permintaan')
  // Size check before parsing: GeoJSON nests 6 levels (a MultiPolygon's coordinates), TopoJSON 5.
  // Far deeper input is not a boundary file, and the recursive code behind the parser must not see it.
  if (jsonDepth(body, MAX_BOUNDARY_DEPTH) > MAX_BOUNDARY_DEPTH) {
    throw new DeskError(
      400,
      'too_deep',
      `Berkas batas wilayah bersarang terlalu dalam (paling dalam ${MAX_BOUNDARY_DEPTH} tingkat): bukan GeoJSON/TopoJSON`,
      {
        file: 'Bukan GeoJSON/TopoJSON',
      },
    )
  }
  return body.toString('utf8').replace(/^\uFEFF/, '')
}

const MAX_BOUNDARY_DEPTH = 32

/**
 * The wall board (any signed-in role, including `display`, reads), boundary import (admin), and
 * the public page's summary (no token: cached and rate limited by address).
 */
export function createBoard(core: DeskCore): Feature<BoardService> {
  const service = new BoardService(core)
  return { service, router: (ctx) => boardRouter(ctx, service) }
}

function boardRouter(ctx: RouteContext, board: BoardService): Router {
  const { requireAuth, publicLimit } = ctx
  const raw = express.raw({ type: () => true, limit: '50mb' })
  const r = Router()

  // ?kecamatan=CODE: a board showing one kecamatan counts only its conflicts waiting.
  r.get('/board/summary', requireAuth(), (req, res) => {
    const q = parse(summaryQuerySchema, req.query)
    res.set('Cache-Control', 'no-store')
    res.json(board.summary(q.kecamatan))
  })

  r.get('/board/layout', requireAuth(), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(board.layout())
  })

  r.get('/board/boundaries/:level', requireAuth(), (req, res) => {
    const level = parse(levelSchema, req.params.level)
    const info = board.layout().boundaries.find((b) => b.level === level)
    const missing = () => new DeskError(404, 'not_found', `Batas wilayah ${level} belum diimpor`)
    if (!info) throw missing()
    // The layer changes only on import: boards revalidate with the ETag instead of refetching
    // megabytes — and the desk answers that without reading them from the database.
    const etag = `"${level}-${Date.parse(info.importedAt)}-${info.features}"`
    if (req.get('If-None-Match') === etag) {
      res.set({ ETag: etag, 'Cache-Control': 'private, no-cache' }).status(304).end()
      return
    }
    const text = board.boundaryGeoJson(level)
    if (!text) throw missing()
    res.set({ ETag: etag, 'Cache-Control': 'private, no-cache' })
    res.type('application/geo+json').send(text)
  })

  r.post('/board/boundaries/inspect', requireAuth('admin'), raw, (req, res) => {
    res.json(board.inspectBoundaries(bodyText(req)))
  })

  r.post('/board/boundaries', requireAuth('admin'), raw, async (req, res) => {
    const q = parse(importQuerySchema, req.query)
    res.json(
      await board.importBoundaries(who(res), bodyText(req), q.property, q.name ?? 'batas-wilayah'),
    )
  })

  r.delete('/board/boundaries', requireAuth('admin'), async (_req, res) => {
    res.json({ removed: await board.deleteBoundaries(who(res)) })
  })

  r.get('/public/summary', publicLimit, (_req, res) => {
    res.set({
      'Cache-Control': 'public, max-age=5',
      'Content-Type': 'application/json; charset=utf-8',
    })
    res.send(board.publicSummaryJson())
  })

  return r
}
