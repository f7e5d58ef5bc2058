import { Router } from 'express'
import { z } from 'zod'
import type { DeskCore } from '../service/core'
import { PurgeService } from '../service/purge-service'
import type { Feature } from './features'
import { parse, who, type RouteContext } from './routes'

const purgeSchema = z.object({
  confirm: z
    .string({ error: 'Konfirmasi wajib: kirim kode "confirm" dari ringkasan' })
    .regex(/^[0-9a-f]{16}$/, 'Kode konfirmasi tidak sah'),
})

/**
 * Removing simulated data: the admin first reads what would go (GET), then confirms with the code
 * that summary carries (POST). Admin only: it deletes accounts and results.
 */
export function createPurge(core: DeskCore): Feature<PurgeService> {
  const service = new PurgeService(core)
  return { service, router: (ctx) => purgeRouter(ctx, service) }
}

function purgeRouter(ctx: RouteContext, purge: PurgeService): Router {
  const { requireAuth, json } = ctx
  const r = Router()

  r.get('/admin/purge-simulated', requireAuth('admin'), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(purge.preview())
  })

  r.post('/admin/purge-simulated', requireAuth('admin'), json, async (req, res) => {
    const body = parse(purgeSchema, req.body)
    res.json(await purge.purge(who(res), body.confirm))
  })

  return r
}
