import { createHash } from 'node:crypto'
import { tpsCode } from '../domain/codes'
import {
  parseSmsReport,
  smsExample,
  splitSmsCode,
  type SmsContestRef,
  type SmsContext,
  type SmsParse,
  type SmsPartial,
} from '../domain/sms-grammar'
import {
  codeLikeWords,
  fitSms,
  fitSmsFirst,
  maskSmsCode,
  maskWords,
  normalizeMsisdn,
  titleCase,
} from '../domain/sms-text'
import type { ResultAnswer, SmsMessageDto, SmsPrefillDto, SmsUnknownDto } from '../shared/api'
import type { UserRecord } from '../store/store'
import type { SmsGatewayName, SmsMessageRecord, SmsStore } from '../store/sms-store'
import { verifyAccessCode } from './credentials'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'
import { DeskError } from './errors'
import type { Principal } from './principal'

/** One message as a gateway hands it over. */
export interface IncomingSms {
  gateway: SmsGatewayName
  /** The sender as the gateway wrote it (08…, +628…, 628…). */
  from: string
  /** The gateway's own time of the message (SMSC time for gammu, receivedAt for Android). */
  sentAt: string
  text: string
}

/** How replies leave: gammu's outbox folder, or the Android phone's local API. */
export interface SmsSender {
  send(to: string, text: string): Promise<void>
}

export type SmsInStatus =
  'received' | 'counted' | 'conflict' | 'refused' | 'wrong_code' | 'locked' | 'unknown_number'

export interface SmsReceiveResult {
  id: number
  status: SmsInStatus
  reply: string | null
  /** The same gateway message came again (a webhook retry, a file read twice): nothing was counted. */
  duplicateDelivery: boolean
}

interface PartOutcome {
  contest: string
  status: ResultAnswer['status'] | 'correction' | 'refused'
  receipt?: string
  conflictId?: number
  error?: string
  /** What the C.Hasil check found doubtful in an accepted sheet (stored, flagged for review). */
  warnings?: string[]
  votes: Record<string, number>
  invalid: number
}

/**
 * How a reporter corrects a counted sheet by SMS, in a reply's few characters: the same message
 * again with KOREKSI after the code (docs/SMS.md), which a supervisor then decides.
 */
const HOW_TO_CORRECT = 'Salah? Kirim ulang, KOREKSI sesudah kode.'

/** How long a message waits for its reply to leave before the next message is read. */
const REPLY_WAIT_MS = 3000
const LOCK_LIMIT = 5
const LOCK_MS = 10 * 60_000
/** Incoming messages a phoned-in entry can stand in for. */
const HANDLEABLE = new Set(['refused', 'wrong_code', 'locked'])

/**
 * Results by SMS (issue 15): who may send (registered number + SMS code, lockout), the grammar,
 * the same write path as every other channel (channel `sms`), the reply, and the log the console
 * shows. Gateways (gammu files, the Android webhook) only hand messages in and carry replies out.
 */
export class SmsService {
  private readonly store: SmsStore
  private readonly senders = new Map<SmsGatewayName, SmsSender>()
  /** One message at a time: a number's lockout and a message's double delivery are decided in order. */
  private queue: Promise<unknown> = Promise.resolve()
  private readonly pending = new Set<Promise<unknown>>()
  /** The Android webhook's settings, or null when that gateway is off. */
  android: { signingKey: string | null; allowUnsigned: boolean } | null = null

  private readonly desk: DeskService

  constructor(private readonly core: DeskCore) {
    this.desk = core.desk
    this.store = core.smsStore
  }

  setSender(gateway: SmsGatewayName, sender: SmsSender | null): void {
    if (sender) this.senders.set(gateway, sender)
    else this.senders.delete(gateway)
  }

  gateways(): { gammu: boolean; android: boolean } {
    return { gammu: this.senders.has('gammu'), android: this.android !== null }
  }

  private nowMs(): number {
    return Date.parse(this.core.store.nowIso())
  }

  /**
   * A number's lockout, read from the SMS log (so a restart does not forgive it): five wrong codes
   * within 10 minutes block it for 10 minutes; a right code, or an operator's "Buka blokir", starts
   * the count again. Only the last 20 minutes can matter.
   */
  private lockState(phone: string): { lockedUntil: number; window: number[] } {
    const t = this.nowMs()
    let window: number[] = []
    let lockedUntil = 0
    for (const r of this.store.lockoutHistory(phone, new Date(t - 2 * LOCK_MS).toISOString())) {
      const at = Date.parse(r.at)
      if (!r.wrong) {
        window = []
        continue
      }
      if (r.cleared || at < lockedUntil) continue
      window = window.filter((f) => at - f < LOCK_MS)
      window.push(at)
      if (window.length >= LOCK_LIMIT) {
        lockedUntil = at + LOCK_MS
        window = []
      }
    }
    return { lockedUntil, window: window.filter((f) => t - f < LOCK_MS) }
  }

  lockedFor(phone: string): number {
    return Math.max(0, this.lockState(phone).lockedUntil - this.nowMs())
  }

  /** How many tries are left after this wrong code (0 = blocked now); the code is logged by the caller. */
  private triesLeftAfterFailure(phone: string): number {
    return Math.max(0, LOCK_LIMIT - (this.lockState(phone).window.length + 1))
  }

  /** Numbers blocked right now, with until when. */
  blocked(): { phone: string; until: string }[] {
    const since = new Date(this.nowMs() - 2 * LOCK_MS).toISOString()
    const out: { phone: string; until: string }[] = []
    for (const phone of this.store.wrongCodePhones(since)) {
      const wait = this.lockedFor(phone)
      if (wait > 0) out.push({ phone, until: new Date(this.nowMs() + wait).toISOString() })
    }
    return out
  }

  /** An operator lifts a number's block (after calling the reporter); audited. False when it was not blocked. */
  async unblock(p: Principal, rawPhone: string): Promise<boolean> {
    const phone = normalizeMsisdn(rawPhone)
    if (!phone)
      throw new DeskError(400, 'invalid', 'Nomor HP tidak sah', { phone: 'Nomor HP tidak sah' })
    return this.desk.write(() => {
      const wait = this.lockedFor(phone)
      const at = this.core.store.nowIso()
      const cleared = this.store.clearWrongCodes(
        phone,
        new Date(this.nowMs() - 2 * LOCK_MS).toISOString(),
        { at, by: p.id },
      )
      if (wait === 0 && cleared === 0) return false
      this.core.store.audit(p.id, 'sms.unblock', phone, { remainingMs: wait, wrongCodes: cleared })
      // No phone number in the event: display screens receive events too.
      this.core.store.appendEvent('sms.unblocked', {})
      return true
    })
  }

  /** Take one message: stored first (nothing is lost), then read, counted and answered. */
  receive(msg: IncomingSms): Promise<SmsReceiveResult> {
    const run = this.queue.then(() => this.handle(msg))
    this.queue = run.catch(() => undefined)
    return run
  }

  private async handle(msg: IncomingSms): Promise<SmsReceiveResult> {
    const phone = normalizeMsisdn(msg.from)
    const text = String(msg.text ?? '').slice(0, 2000)
    // The gateway message's identity: a double delivery has the same sender, time and text.
    const key = createHash('sha256').update(`${phone}\n${msg.sentAt}\n${text}`).digest('hex')
    const candidates = this.usersByPhone(phone)
    const first = await this.desk.write(() => {
      const earlier = this.store.byKey(key)
      // Stored but never finished (the desk stopped mid-way): read it now. Messages are taken one
      // at a time, so a 'received' one found here is not being read by anyone else.
      if (earlier?.status === 'received') return { id: earlier.id }
      if (earlier) return { earlier }
      const id = this.store.insert({
        direction: 'in',
        gateway: msg.gateway,
        phone,
        at: this.core.store.nowIso(),
        sentAt: msg.sentAt,
        text: maskSmsCode(text),
        userId: candidates.length === 1 ? candidates[0]!.id : null,
        status: 'received',
        detail: {},
        key,
        replyTo: null,
      })
      return { id }
    })
    if ('earlier' in first) {
      const e = first.earlier!
      return { id: e.id, status: e.status as SmsInStatus, reply: null, duplicateDelivery: true }
    }
    const id = first.id
    // The stored copy of a reply hides the code too (an example in a reply repeats it).
    const code0 = splitSmsCode(text).code
    // The sender's SMS code wherever it stands in the text (found below): masked in the stored copy.
    let secrets: string[] = []
    const done = async (
      status: SmsInStatus,
      detail: Record<string, unknown>,
      reply: string | null,
      userId?: string,
    ) => {
      await this.desk.write(() => {
        this.store.setStatus(id, status, detail, userId ?? null)
        if (secrets.length > 0) {
          const stored = maskSmsCode(text)
          const masked = maskWords(stored, secrets)
          if (masked !== stored) this.store.setText(id, masked)
        }
        this.core.store.appendEvent('sms.received', {
          id,
          gateway: msg.gateway,
          status,
          ...(typeof detail.tps === 'string' ? { tps: detail.tps } : {}),
          ...(userId ? { reporter: userId } : {}),
        })
      })
      if (reply)
        await this.reply(
          msg.gateway,
          phone,
          reply,
          id,
          userId ? code0 : null,
          userId ?? (candidates.length === 1 ? candidates[0]!.id : null),
        )
      return { id, status, reply, duplicateDelivery: false }
    }

    // Unknown numbers get no reply (no free SMS to strangers); operators see them listed.
    if (candidates.length === 0) return done('unknown_number', {}, null)
    const wait = this.lockedFor(phone)
    if (wait > 0)
      return done('locked', { reason: 'nomor diblokir sementara (kode SMS salah 5 kali)' }, null)
    // An empty message (a pocket press, a blank forward) is no attempt at a code: refused, not counted
    // against the number.
    if (text.trim() === '') {
      const reply =
        'SALAH: pesan kosong. Tulis kode SMS Anda (di kartu) lalu hasilnya, contoh: KODE 3 B 120 150 TS 6'
      return done(
        'refused',
        { reason: 'pesan kosong', empty: true },
        candidates.length === 1 ? fitSms(reply) : null,
      )
    }

    const { code, rest } = splitSmsCode(text)
    const user = code ? await this.matchCode(code, candidates) : null
    // A code written somewhere else (after KOREKSI, at the end): checked against the number's
    // owners, at most four words (each check is an scrypt hash).
    secrets = user
      ? [code!]
      : await this.codesAmong(
          codeLikeWords(text)
            .filter((w) => w !== code)
            .slice(0, 4),
          candidates,
        )
    if (!user) {
      const left = this.triesLeftAfterFailure(phone)
      const reply =
        left === 0
          ? 'DIBLOKIR 10 menit: kode SMS salah 5 kali. Kode ada di kartu Anda; bila hilang, telepon desk.'
          : `SALAH: kode SMS salah. Kode ada di kartu Anda (4 huruf/angka di depan pesan). Sisa ${left} kali sebelum nomor diblokir 10 menit.`
      return done('wrong_code', { triesLeft: left }, reply)
    }

    const principal: Principal = {
      id: user.id,
      name: user.name,
      role: user.role,
      region: user.region,
    }
    const ctx = this.contextFor(principal)
    const parsed = parseSmsReport(rest, ctx)
    if (!parsed.ok) {
      const prefill = this.prefill(parsed.partial)
      const reply = fitSms(
        `SALAH: ${parsed.error}.`,
        ` Contoh: ${smsExample(code!, ctx, parsed.partial.contest)}`,
      )
      return done('refused', { reason: parsed.error, prefill, name: user.name }, reply, user.id)
    }

    const tps = tpsCode(parsed.desa, parsed.tpsNumber)
    const parts: PartOutcome[] = []
    for (const report of parsed.reports) {
      const body = {
        submissionId: `sms-${key.slice(0, 40)}-${report.contest}`,
        tps,
        contest: report.contest,
        votes: report.votes,
        invalid: report.invalid,
        ...(parsed.correction ? { correction: { reason: 'Koreksi lewat SMS (KOREKSI)' } } : {}),
      }
      try {
        const { answer } = await this.desk.submitResult(principal, body, {
          channel: 'sms',
          address: `sms:+${phone}`,
        })
        const replayed = (answer as ResultAnswer & { replayOf?: ResultAnswer['status'] }).replayOf
        const status = replayed ?? answer.status
        parts.push({
          contest: report.contest,
          status: status === 'conflict' && parsed.correction ? 'correction' : status,
          receipt: answer.receipt,
          ...(answer.conflictId ? { conflictId: answer.conflictId } : {}),
          ...(answer.warnings.length > 0
            ? { warnings: answer.warnings.map((w) => w.message) }
            : {}),
          votes: report.votes,
          invalid: report.invalid,
        })
      } catch (e) {
        if (!(e instanceof DeskError)) throw e
        parts.push({
          contest: report.contest,
          status: 'refused',
          error: e.message,
          votes: report.votes,
          invalid: report.invalid,
        })
      }
    }
    const refused = parts.find((p) => p.status === 'refused')
    const status: SmsInStatus = refused
      ? 'refused'
      : parts.some((p) => p.status === 'conflict' || p.status === 'correction')
        ? 'conflict'
        : 'counted'
    const detail: Record<string, unknown> = {
      tps,
      parts,
      name: user.name,
      correction: parsed.correction,
    }
    if (refused) {
      detail.reason = refused.error
      detail.prefill = {
        tps,
        contest: refused.contest,
        votes: refused.votes,
        invalid: refused.invalid,
      } satisfies SmsPrefillDto
    }
    return done(status, detail, this.composeReply(code!, ctx, tps, parsed, parts), user.id)
  }

  /** The people registered with this number (any of 08…, +628…, 628…), not revoked. */
  private usersByPhone(phone: string): UserRecord[] {
    if (!phone) return []
    return this.core.store
      .listUsers()
      .filter((u) => !u.revokedAt && u.phone && normalizeMsisdn(u.phone) === phone)
  }

  private async matchCode(code: string, users: UserRecord[]): Promise<UserRecord | null> {
    if (code.length !== 4) return null
    for (const u of users) {
      const hash = this.store.codeHash(u.id)
      if (hash && (await verifyAccessCode(code, hash))) return u
    }
    return null
  }

  private async codesAmong(words: string[], users: UserRecord[]): Promise<string[]> {
    const found: string[] = []
    for (const w of words) if (await this.matchCode(w, users)) found.push(w)
    return found
  }

  contextFor(p: Principal): SmsContext {
    const regions = this.desk.regions
    const own = regions.get(p.region)
    const desa =
      own?.level === 'desa' ? [own] : regions.desa.filter((d) => d.code.startsWith(p.region + '.'))
    const contests: SmsContestRef[] = this.desk.contests().map((c) => {
      const pairs = c.candidates.filter((x) => x.number !== 0).map((x) => x.number)
      const empty = c.candidates.some((x) => x.number === 0) ? [0] : []
      return { id: c.id, label: titleCase(c.id), order: [...pairs, ...empty] }
    })
    return {
      contests,
      desa: desa.map((d) => ({ code: d.code, name: d.name })),
      ownDesa: own?.level === 'desa' ? own.code : null,
    }
  }

  private prefill(partial: SmsPartial): SmsPrefillDto {
    return {
      ...(partial.desa && partial.tpsNumber
        ? { tps: tpsCode(partial.desa, partial.tpsNumber) }
        : {}),
      ...(partial.desa ? { desa: partial.desa } : {}),
      ...(partial.contest ? { contest: partial.contest } : {}),
      ...(partial.votes ? { votes: partial.votes } : {}),
      ...(partial.invalid !== undefined ? { invalid: partial.invalid } : {}),
    }
  }

  /** The receipt and the numbers read back, or what is wrong; always at most 160 plain characters. */
  private composeReply(
    code: string,
    ctx: SmsContext,
    tps: string,
    parsed: Extract<SmsParse, { ok: true }>,
    parts: PartOutcome[],
  ): string {
    const desaName = titleCase(this.desk.regions.get(parsed.desa)?.name ?? '')
    const where = `TPS${String(parsed.tpsNumber).padStart(3, '0')}`
    const figures = (p: PartOutcome) => {
      const order =
        ctx.contests.find((c) => c.id === p.contest)?.order ?? Object.keys(p.votes).map(Number)
      return `${p.contest.toUpperCase()} ${order.map((n) => `${n === 0 ? 'KK' : n}=${p.votes[String(n)] ?? 0}`).join(' ')} TS=${p.invalid}`
    }
    const refused = parts.find((p) => p.status === 'refused')
    if (refused) {
      const ok = parts
        .filter((p) => p !== refused && p.status !== 'refused')
        .map((p) => `${p.contest.toUpperCase()} diterima ${p.receipt}.`)
      const head = `SALAH ${where} ${titleCase(refused.contest)}: ${refused.error}.${ok.length ? ' ' + ok.join(' ') : ''}`
      return fitSms(head, ` Contoh: ${smsExample(code, ctx, refused.contest)}`)
    }
    const kinds = new Set(parts.map((p) => p.status))
    const word = (s: PartOutcome['status']) =>
      s === 'accepted'
        ? 'DITERIMA'
        : s === 'duplicate'
          ? 'SUDAH ADA'
          : s === 'correction'
            ? 'KOREKSI MENUNGGU SUPERVISOR'
            : 'BEDA, DIPERIKSA SUPERVISOR'
    // A sheet counted but doubtful (the check's warnings: stored, flagged for the desk to review):
    // the reporter is asked to look at the paper again and told how to correct it. In full when it
    // fits with the read-back, else shorter, else left out (the receipts and numbers come first).
    // A kecamatan officer names the desa: the desa read back is their check that the right one was
    // counted, so it is never dropped for this.
    const doubtful = parts.find((p) => p.warnings?.length)
    const reply = (head: string, figs: string) => {
      const desa = ` ${desaName}`
      if (!doubtful) return fitSms(head, desa, figs)
      // Which contest, when the reply has more than one.
      const which = parts.length > 1 ? ` ${doubtful.contest.toUpperCase()}` : ''
      const full = ` PERIKSA${which}: ${doubtful.warnings![0]}. ${HOW_TO_CORRECT}`
      const short = ` PERIKSA${which}: ditandai. ${HOW_TO_CORRECT}`
      const shortest = ` PERIKSA${which}: ditandai untuk diperiksa desk.`
      const checks = [full, short, shortest]
      return fitSmsFirst(
        ...(ctx.ownDesa === null
          ? checks.map((c) => [head, desa, figs, c])
          : checks.flatMap((c) => [
              [head, desa, figs, c],
              [head, figs, c],
            ])),
        [head, desa, figs],
      )
    }
    if (parts.length === 1) {
      const p = parts[0]!
      return reply(`${word(p.status)} ${p.receipt} ${where}`, ` ${figures(p)}`)
    }
    if (kinds.size === 1) {
      return reply(
        `${word(parts[0]!.status)} ${where}`,
        ' ' + parts.map((p) => `${figures(p)} (${p.receipt})`).join(' '),
      )
    }
    return reply(
      `${where}`,
      ' ' + parts.map((p) => `${figures(p)} ${word(p.status)} ${p.receipt}`).join('; '),
    )
  }

  private async reply(
    gateway: SmsGatewayName,
    phone: string,
    text: string,
    replyTo: number,
    secret: string | null,
    userId: string | null,
  ): Promise<void> {
    const id = await this.desk.write(() =>
      this.store.insert({
        direction: 'out',
        gateway,
        phone,
        at: this.core.store.nowIso(),
        sentAt: null,
        text: secret && secret.length === 4 ? text.split(secret).join('****') : text,
        userId,
        status: 'sending',
        detail: {},
        key: null,
        replyTo,
      }),
    )
    const sender = this.senders.get(gateway)
    const sending = (async () => {
      let status: 'sent' | 'failed' = 'sent'
      let detail: Record<string, unknown> = {}
      try {
        if (!sender) throw new Error('gateway balasan tidak aktif')
        await sender.send(`+${phone}`, text)
      } catch (e) {
        status = 'failed'
        // The reason only (never the gateway's password or URL credentials).
        detail = { error: e instanceof Error ? e.message.slice(0, 200) : 'gagal' }
      }
      await this.desk.write(() => {
        this.store.setStatus(id, status, detail)
        this.core.store.appendEvent('sms.sent', { id, replyTo, gateway, status })
      })
    })().catch(() => undefined) // the desk closed meanwhile: the row stays 'sending'
    this.pending.add(sending)
    void sending.finally(() => this.pending.delete(sending))
    // Wait a little (a phone on the LAN answers in milliseconds), but never hold the next message
    // — or the Android webhook's answer, which the app wants within 30 s — for a phone that is
    // retrying: the reply finishes on its own.
    await Promise.race([sending, new Promise((ok) => setTimeout(ok, REPLY_WAIT_MS).unref())])
  }

  /** Let replies still being sent finish, for at most `ms` (the desk is closing). */
  async drain(ms = 5000): Promise<void> {
    await Promise.race([
      Promise.all([...this.pending]),
      new Promise((ok) => setTimeout(ok, ms).unref()),
    ])
  }

  // ---------------------------------------------------------------- reads for the console
  /** Newest first, paged back by `before`; `problems`: only what still needs an operator (filtered here, not on a page). */
  messages(limit = 200, before?: number, problems = false): SmsMessageDto[] {
    const users = new Map(this.core.store.listUsers().map((u) => [u.id, u]))
    const n = Math.min(500, Math.max(1, limit))
    return (problems ? this.store.problems(n, before) : this.store.recent(n, before)).map((m) =>
      this.dto(m, users),
    )
  }

  /**
   * A phoned-in entry saved from a refused SMS (its note carries "SMS … #<id>", as the SMS screen's
   * "Isi formulir telepon" writes it) marks that SMS handled: it leaves "Perlu tindakan" and shows
   * who fixed it and when. Only a message that was not counted (refused, wrong code, blocked).
   */
  async handledByEntry(
    p: Principal,
    note: string | undefined,
    answer: ResultAnswer,
  ): Promise<boolean> {
    const ref = /\bSMS\b[^#\n\u2014]{0,60}#(\d{1,12})\b/i.exec(note ?? '')
    if (!ref) return false
    const id = Number(ref[1])
    const m = this.store.byId(id)
    if (!m || m.direction !== 'in' || !HANDLEABLE.has(m.status) || m.detail.handled) return false
    const handled = {
      at: this.core.store.nowIso(),
      by: p.id,
      byName: p.name,
      receipt: answer.receipt,
      tps: answer.tps,
      contest: answer.contest,
    }
    return this.desk.write(() => {
      if (!this.store.setHandled(id, handled)) return false
      this.core.store.audit(p.id, 'sms.handled', String(id), {
        receipt: answer.receipt,
        tps: answer.tps,
        contest: answer.contest,
      })
      this.core.store.appendEvent('sms.handled', { id })
      return true
    })
  }

  private dto(m: SmsMessageRecord, users: Map<string, UserRecord>): SmsMessageDto {
    const u = m.userId ? users.get(m.userId) : undefined
    const d = m.detail
    return {
      id: m.id,
      direction: m.direction,
      gateway: m.gateway,
      phone: m.phone,
      at: m.at,
      sentAt: m.sentAt,
      text: m.text,
      status: m.status,
      reporter: u
        ? {
            id: u.id,
            name: u.name,
            region: u.region,
            regionName: this.desk.regions.get(u.region)?.name ?? u.region,
          }
        : null,
      ...(typeof d.reason === 'string' ? { reason: d.reason } : {}),
      ...(typeof d.tps === 'string' ? { tps: d.tps } : {}),
      ...(Array.isArray(d.parts)
        ? {
            parts: (d.parts as PartOutcome[]).map((p) => ({
              contest: p.contest,
              status: p.status,
              ...(p.receipt ? { receipt: p.receipt } : {}),
              ...(p.error ? { error: p.error } : {}),
            })),
          }
        : {}),
      ...(d.prefill ? { prefill: d.prefill as SmsPrefillDto } : {}),
      ...(typeof d.error === 'string' ? { error: d.error } : {}),
      ...(d.handled && typeof d.handled === 'object'
        ? { handled: this.handledDto(d.handled as Record<string, unknown>, users) }
        : {}),
      replyTo: m.replyTo,
    }
  }

  private handledDto(
    h: Record<string, unknown>,
    users: Map<string, UserRecord>,
  ): NonNullable<SmsMessageDto['handled']> {
    const by = String(h.by ?? '')
    return {
      at: String(h.at ?? ''),
      by: { id: by, name: users.get(by)?.name ?? (typeof h.byName === 'string' ? h.byName : by) },
      ...(typeof h.receipt === 'string' ? { receipt: h.receipt } : {}),
      ...(typeof h.tps === 'string' ? { tps: h.tps } : {}),
      ...(typeof h.contest === 'string' ? { contest: h.contest } : {}),
    }
  }

  unknownNumbers(): SmsUnknownDto[] {
    return this.store.unknownNumbers().map((u) => ({
      phone: u.phone,
      count: u.count,
      lastAt: u.lastAt,
      lastText: this.store.byId(u.lastId)?.text ?? '',
    }))
  }

  /** Each reporter's last incoming SMS (the chase list shows it). */
  lastByReporter(): Map<string, { at: string; status: string }> {
    const out = new Map<string, { at: string; status: string }>()
    for (const [userId, m] of this.store.lastInByUser())
      out.set(userId, { at: m.at, status: m.status })
    return out
  }
}
