import express, { Router, type NextFunction, type Request, type Response } from 'express'
import { z } from 'zod'
import type { SignInDto } from '../shared/api'
import {
  incidentCreateSchema,
  incidentPhotoSchema,
  incidentStatusSchema,
  signInSchema,
  signInWindowSchema,
  verificationMarkSchema,
} from '../shared/schemas'
import { unlockSchema } from '../shared/lockouts'
import { DeskError } from '../service/errors'
import type { DeskCore } from '../service/core'
import {
  IntakeService,
  MAX_PHOTO_BYTES,
  photoQuotaZeroMeaning,
  type PhotoQuota,
} from '../service/intake-service'
import type { Feature } from './features'
import { address, fileBody, parse, sendImport, who, type RouteContext } from './routes'

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

const quotaNumber = (field: keyof PhotoQuota, what: string) => {
  const zero = photoQuotaZeroMeaning(field)
  return z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${field} wajib diisi: ${what} (${zero})`
          : typeof issue.input === 'string'
            ? `${field} harus bilangan bulat (angka tanpa tanda kutip), bukan teks`
            : `${field} harus bilangan bulat`,
    })
    .int({ error: `${field} harus bilangan bulat` })
    .min(0, { error: `${field} tidak boleh negatif (${zero})` })
    .max(1_000_000, { error: `${field} paling besar 1.000.000` })
}

const photoQuotaSchema = z.object({
  perPlace: quotaNumber(
    'perPlace',
    'foto per pelapor untuk satu TPS dan pemilihan, satu TPS, atau satu desa',
  ),
  mbPerSheet: quotaNumber(
    'mbPerSheet',
    'MB per lembar C.Hasil (TPS × pemilihan) di wilayah pelapor',
  ),
  mbBase: quotaNumber('mbBase', 'MB tambahan per pelapor'),
})

/** A raw body parser whose "too large" answer says what the limit is for. */
function rawBody(limit: number, tooLarge: string) {
  const parser = express.raw({ type: () => true, limit })
  return (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large')
        return next(new DeskError(413, 'too_large', tooLarge))
      next(err)
    })
}

/**
 * Field intake (issue 4): reporters sign in with their code, see their TPS with a state per
 * contest, send photos and incidents; kecamatan officers verify desa; the admin imports the
 * reporter list and sets the hours reporters may sign in. What other features take from it (the
 * sign-in window for the Authenticator, evidence for the console) createDesk passes them itself.
 */
export function createIntake(core: DeskCore): Feature<IntakeService> {
  const service = new IntakeService(core)
  return { service, router: (ctx) => intakeRouter(ctx, service) }
}

function intakeRouter(ctx: RouteContext, intake: IntakeService): Router {
  const { requireAuth, publicLimit, json } = ctx
  const r = Router()

  // ---------------------------------------------------------------- sign-in
  r.post('/auth/login', publicLimit, json, async (req, res) => {
    const body = parse(signInSchema, req.body)
    // Same path as a Bearer token: wrong codes count toward the 5-failure lockout per code and address.
    const p = await ctx.auth.authenticateToken(body.accessCode, address(req))
    res.set('Cache-Control', 'no-store')
    const answer: SignInDto = {
      id: p.id,
      name: p.name,
      role: p.role,
      region: intake.regionRef(p.region),
      window: intake.signInWindow(),
    }
    res.json(answer)
  })

  r.get('/intake/window', requireAuth(), (_req, res) => {
    res.json(intake.signInWindow())
  })

  r.put('/intake/window', requireAuth('admin'), json, async (req, res) => {
    const body = parse(signInWindowSchema, req.body)
    res.json(await intake.setSignInWindow(who(res), body))
  })

  // ---------------------------------------------------------------- sign-in lockouts
  // Many phones share one carrier-grade NAT address: one clumsy phone locks them all out. The
  // admin sees what is locked (the person, never their code) and lifts a lock, audited.
  r.get('/admin/lockouts', requireAuth('admin'), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(intake.lockouts.list(ctx.auth.signInLocks))
  })

  r.post('/admin/lockouts/unlock', requireAuth('admin'), json, async (req, res) => {
    const body = parse(unlockSchema, req.body)
    res.json(await intake.lockouts.unlock(who(res), body, ctx.auth.signInLocks))
  })

  // ---------------------------------------------------------------- reporter list
  r.post(
    '/users/import',
    requireAuth('admin'),
    rawBody(20 * 1024 * 1024, 'Berkas daftar pelapor terlalu besar (paling besar 20 MB)'),
    async (req, res) => {
      const body = fileBody(req, 'Kirim berkas CSV atau XLSX sebagai isi permintaan')
      const result = await intake.importUsers(who(res), await ctx.uploads.read(body), {
        simulated: req.query.simulated === '1',
      })
      res.set('Cache-Control', 'no-store')
      sendImport(res, result, 201)
    },
  )

  // ---------------------------------------------------------------- the reporter's TPS
  r.get('/intake/tps', requireAuth(), (req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(intake.tpsStates(who(res), str(req.query.region)))
  })

  // ---------------------------------------------------------------- photos
  r.post(
    '/photos',
    requireAuth(undefined, { queued: true }),
    rawBody(MAX_PHOTO_BYTES, 'Foto paling besar 5 MB. Perkecil fotonya lalu kirim lagi.'),
    async (req, res) => {
      const body = fileBody(req, 'Kirim foto (JPEG, PNG atau WebP) sebagai isi permintaan')
      const target = {
        ...(str(req.query.tps) ? { tps: str(req.query.tps)! } : {}),
        ...(str(req.query.contest) ? { contest: str(req.query.contest)! } : {}),
        ...(str(req.query.region) ? { region: str(req.query.region)! } : {}),
      }
      const { created, photo } = await intake.storePhoto(who(res), body, target, {
        simulated: req.query.simulated === '1',
      })
      res.status(created ? 201 : 200).json({ photo: photo.file, ...photo })
    },
  )

  // Per-reporter photo quota: anyone signed in reads it (a reporter with their own use), the admin sets it.
  r.get('/intake/photo-quota', requireAuth(), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(intake.photoQuotaView(who(res)))
  })

  r.put('/intake/photo-quota', requireAuth('admin'), json, async (req, res) => {
    res.json(await intake.setPhotoQuota(who(res), parse(photoQuotaSchema, req.body)))
  })

  r.delete('/intake/photo-quota', requireAuth('admin'), async (_req, res) => {
    res.json(await intake.setPhotoQuota(who(res), null))
  })

  r.get('/photos', requireAuth('operator'), (req, res) => {
    res.json({
      photos: intake.listPhotos({
        ...(str(req.query.tps) ? { tps: str(req.query.tps)! } : {}),
        ...(str(req.query.region) ? { region: str(req.query.region)! } : {}),
      }),
    })
  })

  r.get('/photos/:file', requireAuth('operator'), (req, res) => {
    const { path, type } = intake.photoPath(String(req.params.file))
    res.set({
      'Content-Type': type,
      'Cache-Control': 'private, max-age=86400',
      'Content-Disposition': 'inline',
    })
    res.sendFile(path)
  })

  // ---------------------------------------------------------------- incidents
  r.post('/incidents', requireAuth(undefined, { queued: true }), json, async (req, res) => {
    const body = parse(incidentCreateSchema, req.body)
    const { httpStatus, id } = await intake.createIncident(who(res), body, {
      simulated: req.query.simulated === '1',
    })
    res
      .status(httpStatus)
      .json({ id, ...(httpStatus === 200 ? { status: 'duplicate' } : { status: 'created' }) })
  })

  r.get('/incidents', requireAuth(), (req, res) => {
    const status =
      req.query.status === 'open' || req.query.status === 'handled' ? req.query.status : undefined
    const after = Number(req.query.after)
    const limit = Number(req.query.limit)
    res.set('Cache-Control', 'no-store')
    res.json({
      incidents: intake.listIncidents(who(res), {
        ...(status ? { status } : {}),
        ...(Number.isInteger(after) && after > 0 ? { after } : {}),
        ...(Number.isInteger(limit) && limit > 0 ? { limit } : {}),
      }),
    })
  })

  // A photo the desk first refused (quota), sent later by the phone's outbox: it passes outside the
  // sign-in window like the incident itself.
  r.post(
    '/incidents/:id/photo',
    requireAuth(undefined, { queued: true }),
    json,
    async (req, res) => {
      const id = Number(req.params.id)
      if (!Number.isInteger(id) || id < 1)
        throw new DeskError(404, 'not_found', 'Kejadian tidak ditemukan')
      const body = parse(incidentPhotoSchema, req.body)
      res.set('Cache-Control', 'no-store')
      res.json(await intake.attachIncidentPhoto(who(res), id, body.photo))
    },
  )

  r.post('/incidents/:id/status', requireAuth('operator'), json, async (req, res) => {
    const id = Number(req.params.id)
    if (!Number.isInteger(id) || id < 1)
      throw new DeskError(404, 'not_found', 'Kejadian tidak ditemukan')
    const body = parse(incidentStatusSchema, req.body)
    res.json(await intake.setIncidentStatus(who(res), id, body.status))
  })

  // ---------------------------------------------------------------- kecamatan verification
  r.get('/verification', requireAuth(), (req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(intake.verificationList(who(res), str(req.query.kecamatan)))
  })

  r.post('/verification/:desa', requireAuth(), json, async (req, res) => {
    const body = parse(verificationMarkSchema, req.body)
    res.json(await intake.markDesa(who(res), String(req.params.desa), body))
  })

  return r
}
