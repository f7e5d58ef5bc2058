import { Router } from 'express'
import type { DeskCore } from '../service/core'
import { PhoneSyncService } from '../service/phone-sync-service'
import { receiptCheckSchema } from '../shared/schemas'
import type { Feature } from './features'
import { parse, who, type RouteContext } from './routes'

/**
 * Failover without loss (issue 13 item 8): the desk's identity and what it holds, and which of a
 * sender's receipts it knows. `queued`: a phone must be able to reconcile outside the reporters'
 * sign-in window too, since what it resends was saved before closing time.
 */
export function createPhoneSync(core: DeskCore): Feature<PhoneSyncService> {
  const service = new PhoneSyncService(core)
  return { service, router: (ctx) => phoneSyncRouter(ctx, service) }
}

function phoneSyncRouter(ctx: RouteContext, sync: PhoneSyncService): Router {
  const { requireAuth, json } = ctx
  const r = Router()

  r.get('/desk/identity', requireAuth(undefined, { queued: true }), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(sync.identity())
  })

  r.post('/receipts/check', requireAuth(undefined, { queued: true }), json, (req, res) => {
    const body = parse(receiptCheckSchema, req.body)
    res.set('Cache-Control', 'no-store')
    res.json(sync.check(who(res), body.submissionIds))
  })

  r.get('/intake/tps/:code/standing', requireAuth(), (req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(sync.standing(who(res), String(req.params.code)))
  })

  return r
}
