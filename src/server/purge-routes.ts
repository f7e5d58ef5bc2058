import { Router } from 'express'
import { z } from 'zod'
import { purgeServiceFor } from '../service/purge-service'
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
export function purgeRouter(ctx: RouteContext): Router {
  const { requireAuth, json } = ctx
  const r = Router()

  r.get('/admin/purge-simulated', requireAuth('admin'), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(purgeServiceFor(ctx.service).preview())
  })

  r.post('/admin/purge-simulated', requireAuth('admin'), json, async (req, res) => {
    const body = parse(purgeSchema, req.body)
    res.json(await purgeServiceFor(ctx.service).purge(who(res), body.confirm))
  })

  return r
}
