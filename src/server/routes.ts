import express, { Router, type NextFunction, type Request, type Response } from 'express'
import type { z } from 'zod'
import { isWithin } from '../domain/codes'
import type { RecapLevel } from '../domain/recap'
import type { DeskService } from '../service/desk-service'
import { DeskError, forbidden, RateLimited } from '../service/errors'
import { atLeast, type Principal } from '../service/principal'
import type { DeskCore } from '../service/core'
import type { SmsService } from '../service/sms-service'
import type { RegionsDto, RowError, UserDto } from '../shared/api'
import { formatCount } from '../shared/format'
import {
  contestsUpdateSchema,
  recapQuerySchema,
  resultSubmissionSchema,
  tpsStatusSchema,
  userCreateSchema,
  zodFields,
} from '../shared/schemas'
import type { Authenticator } from './auth'
import type { Feature } from './features'
import { clientAddress } from './client-address'
import type { RateLimiter } from './rate-limit'
import type { SseHub } from './sse'
import { jsonBody } from './json-body'
import { headerOf, type JsonRouteSpec, type LeanRoutes } from './lean'
import type { UploadReader } from './upload-reader'

interface RouterDeps {
  service: DeskService
  auth: Authenticator
  sse: SseHub
  principalLimiter: RateLimiter
  addressLimiter: RateLimiter
  version: string
  uploads: UploadReader
  /** Where `jsonRoute` registers a route's lean way in (lean.ts). */
  lean: LeanRoutes
}

type Middleware = (req: Request, res: Response, next: NextFunction) => unknown

/** What every feature router gets: the service, auth guards and limits. */
export interface RouteContext {
  service: DeskService
  auth: Authenticator
  sse: SseHub
  /**
   * Require a valid token, optionally a minimum role; rate limited per principal (admin exempt).
   * `queued: true` marks a write a phone's outbox replays: it passes outside the reporters' sign-in window.
   */
  requireAuth: (
    min?: 'operator' | 'supervisor' | 'admin',
    options?: { queued?: boolean },
  ) => Middleware
  /** Rate limit by address, for endpoints open without a token. */
  publicLimit: Middleware
  /** JSON body parser with the edge's bounds (size, depth, lone surrogates). */
  json: Middleware
  /**
   * A signed-in JSON POST route with one definition and two ways in (lean.ts): the handlers to
   * mount in the router (guard, JSON body, `run`), and its plain form answered before express.
   */
  jsonRoute<S extends z.ZodType>(
    spec: Omit<JsonRouteSpec<S>, 'limit' | 'parse'> & {
      min?: 'operator' | 'supervisor' | 'admin'
      queued?: boolean
    },
  ): Middleware[]
  version: string
  /** Uploaded tables (CSV/XLSX) are read with this: off the desk's thread, with limits. */
  uploads: UploadReader
}

export function parse<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  if (data === undefined || data === null) {
    throw new DeskError(
      400,
      'bad_json',
      'Isi permintaan kosong: kirim JSON dengan header Content-Type: application/json',
      {
        _: 'Isi permintaan wajib berupa JSON',
      },
    )
  }
  const r = schema.safeParse(data)
  if (!r.success) {
    const fields = zodFields(r.error)
    throw new DeskError(400, 'invalid', Object.values(fields)[0] ?? 'Isian tidak sah', fields)
  }
  return r.data
}

export const who = (res: Response) => res.locals.principal as Principal

/** The client's address (after the trusted-proxy rule, see client-address.ts). */
export function address(req: Request): string {
  return clientAddress(req)
}

/**
 * The file a raw-body route was sent, or 400 naming `file` when none came. `ask` says what to send
 * ("Kirim berkas CSV atau XLSX sebagai isi permintaan").
 */
export function fileBody(req: Request, ask: string): Buffer {
  const body = req.body as unknown
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new DeskError(400, 'invalid', ask, { file: 'Berkas kosong' })
  return body
}

/**
 * The answer to an all-or-nothing file import: the counts, or 400 listing every bad row (the
 * body keeps `errors` beside the usual error envelope, so tools reading either find the rows).
 */
export function sendImport<T extends { errors: RowError[] }>(
  res: Response,
  result: T,
  okStatus: 200 | 201,
): void {
  if (result.errors.length > 0) {
    const n = formatCount(result.errors.length)
    const message = `Tidak ada yang diimpor: ${n} kesalahan. Perbaiki baris yang disebut lalu impor ulang.`
    res.status(400).json({
      ...result,
      // `fields` as in every error (the file is what is at fault); `rows` names each bad row.
      error: {
        code: 'import_invalid',
        message,
        fields: { file: `${n} baris bermasalah` },
        rows: result.errors,
      },
    })
    return
  }
  res.status(okStatus).json(result)
}

/** What the wall board reads (GET only); every other route refuses a display account. */
const DISPLAY_PATHS =
  /^\/(me|config|regions|progress|events|board\/(summary|layout|boundaries\/(kecamatan|desa)))$/

const CHANNELS = new Set(['web', 'api', 'telepon', 'simulasi'])

/** express.json's limit for every JSON body the API takes. */
export const JSON_LIMIT_BYTES = 256 * 1024

export function createRouteContext(deps: RouterDeps): RouteContext {
  const { auth } = deps
  const json = jsonBody(`${JSON_LIMIT_BYTES}b`)

  /**
   * The guard of every signed-in route, for express and the lean way in alike: a valid token
   * (`queryToken` for SSE, else the Authorization header), the per-principal limit (admin exempt),
   * a display account to the board's GETs only, the minimum role. Throws DeskError (401/403/429).
   * `seen` is told who the client is before the limit and role checks, so a 403 or 429 logs the account.
   */
  const authorize = async (
    request: {
      method: string
      path: string
      address: string
      authorization: string | undefined
      queryToken?: string | undefined
    },
    guard: { min?: 'operator' | 'supervisor' | 'admin' | undefined; queued?: boolean | undefined },
    seen: (principal: Principal) => void,
  ): Promise<Principal> => {
    let principal: Principal
    const authOptions = { skipReporterGate: guard.queued === true }
    try {
      principal = request.queryToken
        ? await auth.authenticateToken(request.queryToken, request.address, authOptions)
        : await auth.authenticate(request.authorization, request.address, authOptions)
    } catch (e) {
      const wait = deps.addressLimiter.take(request.address)
      if (wait > 0) throw new RateLimited(wait)
      throw e
    }
    seen(principal)
    if (principal.role !== 'admin') {
      const wait = deps.principalLimiter.take(principal.id)
      if (wait > 0) throw new RateLimited(wait)
    }
    // A display account runs a wall board on some other machine: the board and nothing else.
    const boardRead = request.method === 'GET' && DISPLAY_PATHS.test(request.path)
    if (principal.role === 'display' && !boardRead) {
      throw forbidden('Akun tampilan (display) hanya untuk papan dinding')
    }
    const { min } = guard
    if (min && !atLeast(principal, min)) {
      throw forbidden(
        min === 'admin'
          ? 'Hanya admin yang boleh melakukan ini'
          : min === 'supervisor'
            ? 'Hanya supervisor atau admin yang boleh melakukan ini'
            : 'Hanya operator, supervisor atau admin yang boleh melakukan ini',
      )
    }
    return principal
  }

  /** Require a valid token; optionally a minimum role. Rate limits per principal (admin exempt). */
  const requireAuth =
    (min?: 'operator' | 'supervisor' | 'admin', options: { queued?: boolean } = {}) =>
    async (req: Request, res: Response, next: NextFunction) => {
      await authorize(
        {
          method: req.method,
          path: req.path,
          address: address(req),
          authorization: req.get('authorization'),
          // EventSource cannot send headers: SSE alone may pass the token in the query.
          queryToken:
            req.path === '/events' && typeof req.query.token === 'string'
              ? req.query.token
              : undefined,
        },
        { min, ...options },
        (principal) => (res.locals.principal = principal),
      )
      next()
    }
  const publicLimit = (req: Request, _res: Response, next: NextFunction) => {
    const wait = deps.addressLimiter.take(address(req))
    if (wait > 0) throw new RateLimited(wait)
    next()
  }
  const jsonRoute: RouteContext['jsonRoute'] = (spec) => {
    const handler = deps.lean.post(
      { ...spec, limit: JSON_LIMIT_BYTES, parse },
      (req, address, seen) =>
        authorize(
          {
            method: 'POST',
            path: spec.path,
            address,
            authorization: headerOf(req, 'authorization'),
          },
          spec,
          seen,
        ),
    )
    return [requireAuth(spec.min, spec), json, handler]
  }
  return {
    service: deps.service,
    auth,
    sse: deps.sse,
    requireAuth,
    publicLimit,
    json,
    jsonRoute,
    version: deps.version,
    uploads: deps.uploads,
  }
}

/**
 * The core of API v1: health, config, regions, TPS, people, results, progress, recap, events.
 * `sms`: a result phoned in from a refused SMS (issue 15) marks that SMS handled.
 */
export function createCoreApi(
  core: DeskCore,
  deps: { sms: Pick<SmsService, 'handledByEntry'> },
): Feature<DeskService> {
  return { service: core.desk, router: (ctx) => apiRouter(ctx, deps.sms) }
}

function apiRouter(ctx: RouteContext, sms: Pick<SmsService, 'handledByEntry'>): Router {
  const { service, auth, sse, requireAuth, publicLimit, json } = ctx
  const r = Router()

  r.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json({
      status: 'ok',
      version: ctx.version,
      regency: service.regions.regency.code,
      training: service.training,
      time: service.nowIso(),
      lastEventId: service.lastEventId(),
    })
  })

  r.get('/config', publicLimit, (_req, res) => {
    res.json(service.config())
  })

  r.put('/config', requireAuth('admin'), json, async (req, res) => {
    const body = parse(contestsUpdateSchema, req.body)
    res.json(await service.updateContests(who(res), body))
  })

  r.get('/regions', publicLimit, (_req, res) => {
    const regions = service.regions
    const body: RegionsDto = {
      regency: { code: regions.regency.code, name: regions.regency.name },
      kecamatan: regions.kecamatan.map((k) => ({
        code: k.code,
        name: k.name,
        desa: regions.childrenOf(k.code).map((d) => ({ code: d.code, name: d.name })),
      })),
    }
    res.json(body)
  })

  r.get('/me', requireAuth(), (_req, res) => {
    const p = who(res)
    const region = service.regions.get(p.region)
    res.json({
      id: p.id,
      name: p.name,
      role: p.role,
      region: { code: p.region, name: region?.name ?? p.region },
    })
  })

  // ---------------------------------------------------------------- TPS
  r.post(
    '/tps/import',
    requireAuth('admin'),
    express.raw({ type: () => true, limit: '20mb' }),
    async (req, res) => {
      const body = fileBody(req, 'Kirim berkas CSV atau XLSX sebagai isi permintaan')
      const result = await service.importTps(who(res), await ctx.uploads.read(body), {
        simulated: req.query.simulated === '1',
      })
      sendImport(res, result, 200)
    },
  )

  r.get('/tps', requireAuth(), (req, res) => {
    const p = who(res)
    const under = typeof req.query.region === 'string' ? req.query.region : undefined
    if (under && !service.regions.contains(under)) {
      throw new DeskError(400, 'invalid', `Wilayah ${under} tidak dikenal`, {
        region: 'Kode wilayah tidak dikenal',
      })
    }
    let scope = under ?? service.regions.regency.code
    if (p.role === 'reporter') {
      if (under && !isWithin(under, p.region) && !isWithin(p.region, under))
        throw forbidden('Wilayah itu di luar wilayah tugas Anda')
      if (!under || isWithin(p.region, under)) scope = p.region
    }
    const list = scope === service.regions.regency.code ? service.listTps() : service.listTps(scope)
    const contests = service.contests()
    const reported = new Map(contests.map((c) => [c.id, service.reportedSet(c.id)]))
    res.json({
      region: scope,
      tps: list.map((t) => ({
        ...t,
        // As the recap counts: a postponed or merged TPS's stored results are not in it.
        reported: Object.fromEntries(
          contests.map((c) => [c.id, t.status === 'active' && reported.get(c.id)!.has(t.code)]),
        ),
      })),
    })
  })

  r.get('/tps/:code', requireAuth(), (req, res) => {
    const p = who(res)
    const code = String(req.params.code)
    if (p.role === 'reporter' && !isWithin(code, p.region))
      throw forbidden('TPS itu di luar wilayah tugas Anda')
    res.json(service.tpsDetail(code))
  })

  r.post('/tps/:code/status', requireAuth('supervisor'), json, async (req, res) => {
    const body = parse(tpsStatusSchema, req.body)
    res.json(
      await service.setTpsStatus(who(res), String(req.params.code), body, {
        simulated: req.query.simulated === '1',
      }),
    )
  })

  // ---------------------------------------------------------------- people
  r.post('/users', requireAuth('admin'), json, async (req, res) => {
    const body = parse(userCreateSchema, req.body)
    const { id, accessCode, smsCode, user } = await service.createUser(who(res), body, {
      simulated: req.query.simulated === '1',
    })
    res
      .status(201)
      .json({ id, accessCode, smsCode, name: user.name, role: user.role, region: user.region })
  })

  r.get('/users', requireAuth('admin'), (_req, res) => {
    res.json({
      users: service.listUsers().map((u): UserDto => ({
        id: u.id,
        name: u.name,
        phone: u.phone,
        role: u.role,
        region: u.region,
        simulated: u.simulated,
        createdAt: u.createdAt,
        revokedAt: u.revokedAt,
      })),
    })
  })

  r.post('/users/:id/revoke', requireAuth('admin'), async (req, res) => {
    const id = String(req.params.id)
    await service.revokeUser(who(res), id)
    auth.forgetUser(id)
    res.json({ id, revoked: true })
  })

  r.post('/users/:id/reissue', requireAuth('admin'), async (req, res) => {
    const id = String(req.params.id)
    const { accessCode, smsCode } = await service.reissueUser(who(res), id)
    auth.forgetUser(id)
    res.json({ id, accessCode, smsCode })
  })

  // ---------------------------------------------------------------- results
  r.post(
    '/results',
    ...ctx.jsonRoute({
      path: '/results',
      // A phone's outbox replays reports saved before the sign-in window closed.
      queued: true,
      schema: resultSubmissionSchema,
      run: async (p, body, request) => {
        const requested = request.header('X-Desk-Channel')
        // Only the desk's own staff may say a result came by phone.
        const channel =
          requested &&
          CHANNELS.has(requested) &&
          (requested !== 'telepon' || atLeast(p, 'operator'))
            ? requested
            : 'api'
        const { httpStatus, answer } = await service.submitResult(p, body, {
          channel,
          address: request.address,
        })
        // Entered from a refused SMS (issue 15): that SMS is now handled.
        if (channel === 'telepon' && body.note) await sms.handledByEntry(p, body.note, answer)
        return { status: httpStatus, body: answer }
      },
    }),
  )

  r.get('/progress', requireAuth(), (_req, res) => {
    res.json(service.progress())
  })

  r.get('/recap', requireAuth(), (req, res) => {
    const q = parse(recapQuerySchema, req.query)
    res.json(service.recap(q.contest, q.level as RecapLevel, q.parent))
  })

  r.get('/audit', requireAuth('admin'), (req, res) => {
    const limit = Math.min(1000, Math.max(1, Number(req.query.limit) || 200))
    res.json({ entries: service.listAudit(limit) })
  })

  r.get('/events', requireAuth(), (req, res) => {
    // The stream carries every desk event (incident texts, notes from all areas); reporters' phones
    // poll their own region instead.
    if (who(res).role === 'reporter')
      throw forbidden('Akun pelapor tidak memakai aliran peristiwa desk')
    sse.handle(req, res)
  })

  return r
}
