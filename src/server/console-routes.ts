import { Router } from 'express'
import { ConsoleService, type ConsoleDeps } from '../service/console-service'
import type { DeskCore } from '../service/core'
import { DeskError } from '../service/errors'
import {
  chaseCallSchema,
  conflictQuerySchema,
  draftCancelSchema,
  draftCreateSchema,
  resolveConflictSchema,
  reviewAssignmentSchema,
  reviewResultSchema,
  sheetSchema,
} from '../shared/console'
import type { DeskReach, Feature } from './features'
import { address, parse, who, type RouteContext } from './routes'

function idParam(raw: unknown, what: string): number {
  const s = String(raw)
  if (!/^\d{1,12}$/.test(s)) throw new DeskError(404, 'not_found', `${what} tidak ditemukan`)
  return Number(s)
}

/**
 * The operator console's API: home summary, chase list and calls, double entry of phoned-in
 * sheets, the review queue and its decisions, TPS history, and the desk on the LAN. Operators
 * enter and chase; deciding needs a supervisor (checked here and again in the service).
 */
export function createConsole(
  core: DeskCore,
  deps: ConsoleDeps & { reach: DeskReach },
): Feature<ConsoleService> {
  const service = new ConsoleService(core, deps)
  return { service, router: (ctx) => consoleRouter(ctx, service, deps.reach) }
}

function consoleRouter(ctx: RouteContext, service: ConsoleService, reach: DeskReach): Router {
  const { requireAuth, json } = ctx
  const r = Router()

  r.get('/console/summary', requireAuth('operator'), (_req, res) => {
    res.json(service.summary())
  })

  // ---------------------------------------------------------------- chase list
  r.get('/console/chase', requireAuth('operator'), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(service.chase())
  })

  r.get('/console/chase/:reporter/calls', requireAuth('operator'), (req, res) => {
    res.json({ calls: service.callsFor(String(req.params.reporter)) })
  })

  r.post('/console/chase/:reporter/calls', requireAuth('operator'), json, async (req, res) => {
    const body = parse(chaseCallSchema, req.body ?? {})
    res.status(201).json(await service.recordCall(who(res), String(req.params.reporter), body))
  })

  // ---------------------------------------------------------------- double entry
  r.get('/console/drafts', requireAuth('operator'), (_req, res) => {
    res.json({ drafts: service.drafts() })
  })

  r.post('/console/drafts', requireAuth('operator'), json, async (req, res) => {
    const body = parse(draftCreateSchema, req.body)
    res.status(201).json(await service.createDraft(who(res), body))
  })

  r.post('/console/drafts/:id/verify', requireAuth('operator'), json, async (req, res) => {
    const id = idParam(req.params.id, 'Entri')
    const body = parse(sheetSchema, req.body)
    const outcome = await service.verifyDraft(who(res), id, body, {
      channel: 'telepon',
      address: address(req),
    })
    if (!outcome.match) {
      throw new DeskError(
        409,
        'double_entry_mismatch',
        `Entri kedua tidak cocok dengan entri pertama (${outcome.fields.length} isian). Tidak disimpan: periksa lagi dengan penelepon.`,
        Object.fromEntries(outcome.fields.map((f) => [f, 'Tidak cocok dengan entri pertama'])),
      )
    }
    res.status(outcome.outcome.httpStatus).json(outcome.outcome.answer)
  })

  r.post('/console/drafts/:id/cancel', requireAuth('operator'), json, async (req, res) => {
    const id = idParam(req.params.id, 'Entri')
    const body = parse(draftCancelSchema, req.body ?? {})
    await service.cancelDraft(who(res), id, body.reason)
    res.json({ id, status: 'cancelled' })
  })

  // ---------------------------------------------------------------- review queue
  r.get('/conflicts', requireAuth('operator'), (req, res) => {
    const query = parse(conflictQuerySchema, req.query)
    res.json({ conflicts: service.conflicts(query, who(res)) })
  })

  r.get('/console/review-assignments', requireAuth('operator'), (_req, res) => {
    res.json(service.reviewAssignments())
  })

  r.put(
    '/console/review-assignments/:kecamatan',
    requireAuth('supervisor'),
    json,
    async (req, res) => {
      const body = parse(reviewAssignmentSchema, req.body ?? {})
      res.json(await service.assignReview(who(res), String(req.params.kecamatan), body.supervisor))
    },
  )

  r.get('/conflicts/:id', requireAuth('operator'), (req, res) => {
    res.json(service.conflict(idParam(req.params.id, 'Konflik')))
  })

  r.post('/conflicts/:id/resolve', requireAuth('supervisor'), json, async (req, res) => {
    const id = idParam(req.params.id, 'Konflik')
    const body = parse(resolveConflictSchema, req.body)
    res.json(await service.resolveConflict(who(res), id, body, { address: address(req) }))
  })

  r.get('/console/flags', requireAuth('operator'), (_req, res) => {
    res.json({ flags: service.flags() })
  })

  r.post('/results/:tps/:contest/review', requireAuth('supervisor'), json, async (req, res) => {
    const body = parse(reviewResultSchema, req.body)
    res.json(
      await service.reviewResult(
        who(res),
        String(req.params.tps),
        String(req.params.contest),
        body,
        {
          address: address(req),
        },
      ),
    )
  })

  // ---------------------------------------------------------------- TPS history
  r.get('/tps/:code/history', requireAuth('operator'), (req, res) => {
    res.json(service.history(String(req.params.code)))
  })

  // ---------------------------------------------------------------- desk on the LAN
  r.get('/console/lan', requireAuth('operator'), async (req, res) => {
    res.set('Cache-Control', 'no-store')
    const state = reach.listening()
    const port = state?.port ?? req.socket.localPort ?? 0
    res.json(
      await reach.lanScreen({
        host: state?.host ?? req.socket.localAddress ?? '127.0.0.1',
        port,
        counts: ctx.sse.counts(),
        activeReporters: service.activeReporters(),
        ...(state ? { scheme: state.scheme } : {}),
      }),
    )
  })

  return r
}
