import express, { Router } from 'express'
import { z } from 'zod'
import { DeskError } from '../service/errors'
import { checkAndroidSignature } from '../service/sms-android'
import { wellFormed } from '../shared/format'
import type { DeskCore } from '../service/core'
import { SmsService } from '../service/sms-service'
import type { SmsOverviewDto } from '../shared/api'
import type { Feature } from './features'
import { parse, who, type RouteContext } from './routes'

/** The `sms:received` webhook of SMS Gateway for Android; other events are acknowledged and ignored. */
const androidWebhookSchema = z.object({
  event: z.string({ error: 'event wajib diisi' }).max(40),
  payload: z
    .object({
      message: z
        .string({ error: 'payload.message wajib diisi' })
        .max(2000, { error: 'payload.message terlalu panjang' }),
      phoneNumber: z.string({ error: 'payload.phoneNumber wajib diisi' }).min(3).max(30),
      receivedAt: z.string({ error: 'payload.receivedAt wajib diisi' }).min(1).max(40),
    })
    .partial()
    .optional(),
})

const unblockSchema = z.object({
  phone: z
    .string({ error: 'Nomor HP wajib diisi' })
    .trim()
    .min(6, { error: 'Nomor HP terlalu pendek' })
    .max(30, { error: 'Nomor HP terlalu panjang' })
    .regex(/^[+\d][\d\s-]*$/, { error: 'Nomor HP hanya angka, spasi, - dan + di depan' }),
})

/**
 * Results by SMS (issue 15): the Android gateway's webhook (no desk token: the phone signs its
 * requests instead) and the console's SMS screen.
 */
export function createSms(core: DeskCore): Feature<SmsService> {
  const service = new SmsService(core)
  return { service, router: (ctx) => smsRouter(ctx, service) }
}

function smsRouter(ctx: RouteContext, sms: SmsService): Router {
  const { requireAuth, publicLimit } = ctx
  const r = Router()

  r.post(
    '/sms/android',
    publicLimit,
    express.raw({ type: () => true, limit: '64kb' }),
    async (req, res) => {
      const android = sms.android
      if (!android)
        throw new DeskError(
          404,
          'sms_android_off',
          'Gateway SMS Android tidak aktif di desk ini (--sms-android-url)',
        )
      const raw = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0)
      if (android.signingKey) {
        // Anyone on the LAN could post a forged SMS here: only the phone knows the signing key.
        const check = checkAndroidSignature(
          android.signingKey,
          raw,
          req.get('x-timestamp'),
          req.get('x-signature'),
          Date.parse(ctx.service.nowIso()),
        )
        if (check !== 'ok') {
          const why = {
            missing: 'tanda tangan (X-Signature, X-Timestamp) tidak ada',
            stale: 'X-Timestamp terlalu jauh dari jam desk (lebih dari 5 menit)',
            bad: 'tanda tangan tidak cocok dengan kunci',
          }[check]
          throw new DeskError(401, 'bad_signature', `Webhook ditolak: ${why}`, {
            'X-Signature': why,
          })
        }
      } else if (!android.allowUnsigned) {
        throw new DeskError(
          401,
          'unsigned',
          'Webhook ditolak: desk belum diberi kunci tanda tangan (--sms-android-signing-key)',
          { 'X-Signature': 'Kunci tanda tangan belum diatur' },
        )
      }
      let json: unknown
      try {
        // `"\ud83d"` in the JSON is a lone surrogate the UTF-8 check cannot see: replaced by U+FFFD
        // (the phone's message is still stored and answered, never refused for half an emoji).
        json = JSON.parse(raw.toString('utf8'), (_key, value: unknown) =>
          typeof value === 'string' ? wellFormed(value) : value,
        )
      } catch {
        throw new DeskError(400, 'bad_json', 'Isi webhook bukan JSON yang sah')
      }
      const body = parse(androidWebhookSchema, json)
      if (body.event !== 'sms:received') return res.json({ ignored: body.event })
      const p = body.payload
      // An empty SMS (message "") is still a message: stored and answered 200 like any other, or
      // the phone would retry it for days.
      if (p?.message === undefined || !p.phoneNumber || !p.receivedAt) {
        throw new DeskError(
          400,
          'invalid',
          'payload sms:received wajib berisi message, phoneNumber dan receivedAt',
          { payload: 'message, phoneNumber dan receivedAt wajib diisi' },
        )
      }
      const result = await sms.receive({
        gateway: 'android',
        from: p.phoneNumber,
        sentAt: p.receivedAt,
        text: p.message,
      })
      // The phone retries anything but 2xx: a message is acknowledged once stored, whatever its verdict.
      res.json({
        id: result.id,
        status: result.status,
        duplicateDelivery: result.duplicateDelivery,
      })
    },
  )

  // "Buka blokir": after calling the reporter, an operator lifts a number's wrong-code block (audited).
  r.post('/sms/unblock', requireAuth('operator'), ctx.json, async (req, res) => {
    const body = parse(unblockSchema, req.body ?? {})
    res.json({ unblocked: await sms.unblock(who(res), body.phone) })
  })

  r.get('/sms', requireAuth('operator'), (req, res) => {
    const before = Number(req.query.before) || undefined
    const problems = req.query.problems === '1' || req.query.problems === 'true'
    const body: SmsOverviewDto = {
      gateways: sms.gateways(),
      messages: sms.messages(Number(req.query.limit) || 200, before, problems),
      unknown: sms.unknownNumbers(),
      blocked: sms.blocked(),
    }
    res.set('Cache-Control', 'no-store')
    res.json(body)
  })

  return r
}
