// The simulator's SMS reporters (issue 15): a share of desa reporters send their TPS by coded SMS,
// through gammu's inbox folder (files as gammu-smsd writes them) and/or the Android gateway's
// signed webhook — with typos, duplicate deliveries and wrong SMS codes. What they send ends in the
// same recap, so --verify checks it; the SMS log's statuses are checked against the plan too.

import { createHmac } from 'node:crypto'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ContestDto, SmsOverviewDto } from '../shared/api'
import type { DeskClient } from './client'
import { Rng } from './prng'
import type { PlanCounts, ResultBody, SimPlan, Step } from './types'

export type SmsGatewayKind = 'gammu' | 'android'
export type SmsExpect = 'counted' | 'refused' | 'wrong_code' | 'duplicate_delivery'

export interface SmsStep {
  kind: 'sms'
  at: number
  account: string
  tps: string
  gateway: SmsGatewayKind
  /** The message; `{CODE}` stands for the sender's SMS code. */
  text: string
  /** Send with a wrong SMS code. */
  wrongCode?: boolean
  /** This is the gateway delivering the step before it again (same sender, time and text). */
  redelivery?: boolean
  /** When the phone received it (simulated seconds): a redelivery keeps the first delivery's. */
  sentAt?: number
  expect: SmsExpect
}

export interface SmsSimOptions {
  /** Share of reporting TPS (of desa reporters on the web) sent by SMS instead (default 0.1). */
  share?: number
  /** gammu-smsd's inbox folder of the desk under test. */
  gammuInbox?: string
  /** The Android webhook: the desk's signing key, or null when the desk accepts unsigned webhooks. */
  android?: { signingKey: string | null }
}

export interface SmsPlanCounts {
  tps: number
  messages: number
  typos: number
  wrongCodes: number
  redeliveries: number
  expect: Record<SmsExpect, number>
}

export interface SmsRunSummary {
  planned: SmsPlanCounts
  /** Statuses the desk gave this run's messages (its SMS log, and the webhook's answers). */
  got: Record<string, number>
  unexpected: string[]
  ok: boolean
}

const DAY = Date.parse('2024-11-27T06:00:00Z') // 13:00 WIB

/** Gammu's name for a received message at simulated second `at`. */
function gammuName(at: number, serial: number, phone: string): string {
  const d = new Date(DAY + at * 1000 + 7 * 3600_000) // the modem's clock is WIB
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
  return `IN${stamp}_${p(serial % 100)}_${phone}_00.txt`
}

const intl = (phone: string) => '+62' + phone.replace(/\D/g, '').replace(/^0/, '')

/** A message as a hurried reporter types it: separators and case vary, a 0 may be an O. */
function compose(
  tpsNumber: number,
  bodies: ResultBody[],
  contests: ContestDto[],
  rng: Rng,
  typo: boolean,
): string {
  const sep = rng.pick([' ', ' ', ' ', '#', '*', ', '])
  const parts: string[] = ['{CODE}', String(tpsNumber)]
  const broken = typo ? rng.int(0, bodies.length - 1) : -1
  bodies.forEach((b, i) => {
    const c = contests.find((x) => x.id === b.contest)!
    const numbers = c.candidates
      .filter((x) => x.number !== 0)
      .map((x) => b.votes[String(x.number)] ?? 0)
    if (c.candidates.some((x) => x.number === 0)) numbers.push(b.votes['0'] ?? 0)
    const shown = numbers.map((n) =>
      n >= 10 && n % 10 === 0 && rng.chance(0.15) ? String(n).replace(/0$/, 'O') : String(n),
    )
    if (i === broken) shown.pop() // a pair's number forgotten: the desk says how many it expects
    const letterUnique = contests.filter((x) => x.id[0] === c.id[0]).length === 1
    parts.push(
      letterUnique ? c.id[0]!.toUpperCase() : c.id.toUpperCase(),
      ...shown,
      'TS',
      String(b.invalid),
    )
  })
  const text = parts.join(sep)
  return rng.chance(0.2) ? text.toLowerCase().replace('{code}', '{CODE}') : text
}

/**
 * Turn a share of the plan's web reporters into SMS reporters. Their result steps (with the
 * web faults: a refused sheet, a retry) become SMS steps with SMS faults; the officer's later
 * confirmation or conflicting report stays. The final sheets — and so the expected recap — do not
 * change. Uses its own random streams: the web plan's picks stay the same.
 */
export function addSmsReporters(plan: SimPlan, options: SmsSimOptions): SmsPlanCounts {
  const gateways: SmsGatewayKind[] = [
    ...(options.gammuInbox ? ['gammu' as const] : []),
    ...(options.android ? ['android' as const] : []),
  ]
  const counts: SmsPlanCounts = {
    tps: 0,
    messages: 0,
    typos: 0,
    wrongCodes: 0,
    redeliveries: 0,
    expect: { counted: 0, refused: 0, wrong_code: 0, duplicate_delivery: 0 },
  }
  if (gateways.length === 0) return counts
  const share = options.share ?? 0.1
  for (const chain of plan.chains) {
    const web = chain.steps.filter(
      (s): s is Extract<Step, { kind: 'result' }> =>
        s.kind === 'result' && s.channel === 'simulasi' && s.account.startsWith('desa:'),
    )
    if (web.length === 0) continue
    const rng = new Rng(`${plan.seed}/sms/${chain.key}`)
    if (!rng.chance(share)) continue
    const finals = new Map<string, ResultBody>()
    for (const s of web) if (s.expect === 'accepted') finals.set(s.body.contest, s.body)
    if (finals.size !== plan.contests.length) continue // a sheet the web plan refuses for good: leave it on the web
    counts.tps++
    const at = web[0]!.at
    const account = web[0]!.account
    const tps = web[0]!.body.tps
    const tpsNumber = Number(tps.slice(-3))
    const gateway = rng.pick(gateways)
    const bodies = plan.contests.map((c) => finals.get(c.id)!)
    const steps: SmsStep[] = []
    let t = at
    if (rng.chance(0.12)) {
      counts.wrongCodes++
      steps.push({
        kind: 'sms',
        at: t,
        account,
        tps,
        gateway,
        text: compose(tpsNumber, bodies, plan.contests, rng, false),
        wrongCode: true,
        expect: 'wrong_code',
      })
      t += rng.int(60, 240)
    }
    if (rng.chance(0.15)) {
      counts.typos++
      steps.push({
        kind: 'sms',
        at: t,
        account,
        tps,
        gateway,
        text: compose(tpsNumber, bodies, plan.contests, rng, true),
        expect: 'refused',
      })
      t += rng.int(60, 240)
    }
    steps.push({
      kind: 'sms',
      at: t,
      account,
      tps,
      gateway,
      text: compose(tpsNumber, bodies, plan.contests, rng, false),
      expect: 'counted',
    })
    if (rng.chance(0.1)) {
      counts.redeliveries++
      steps.push({
        ...steps[steps.length - 1]!,
        at: t + rng.int(5, 60),
        sentAt: t,
        redelivery: true,
        expect: 'duplicate_delivery',
      })
    }
    // Replace the reporter's web steps; the plan's request counts follow.
    for (const s of web) {
      adjust(plan.counts, s.expect)
    }
    chain.steps = [
      ...chain.steps.filter((s) => !web.includes(s as (typeof web)[number])),
      ...steps,
    ].sort((a, b) => a.at - b.at)
    for (const s of steps) {
      counts.messages++
      counts.expect[s.expect]++
    }
  }
  plan.chains.sort((a, b) => a.steps[0]!.at - b.steps[0]!.at || a.key.localeCompare(b.key))
  return counts
}

function adjust(counts: PlanCounts, expect: Extract<Step, { kind: 'result' }>['expect']): void {
  counts.requests--
  counts.expect[expect]--
}

/** Sends the SMS steps and checks what became of them. */
export class SmsSender {
  private serial = 0
  private readonly lastGammuName = new Map<string, string>()
  /** The inbox file each gammu step was written to. */
  private readonly files = new WeakMap<SmsStep, string>()
  readonly got: Record<string, number> = {}
  readonly unexpected: string[] = []
  private startId = 0

  constructor(
    private readonly client: DeskClient,
    private readonly token: string,
    private readonly options: SmsSimOptions,
    private readonly phoneOf: (account: string) => string,
    private readonly codeOf: (account: string) => string,
  ) {}

  /** Remember where the desk's SMS log stood, so only this run's messages are counted. */
  async begin(): Promise<void> {
    const r = await this.client.request<SmsOverviewDto>('GET', '/sms?limit=1', {
      token: this.token,
    })
    this.startId = r.status === 200 ? (r.body.messages[0]?.id ?? 0) : 0
  }

  private note(line: string): void {
    if (this.unexpected.length < 20) this.unexpected.push(line)
  }

  async send(step: SmsStep): Promise<void> {
    const code = this.codeOf(step.account)
    const wrong = step.wrongCode ? (code === 'ZZZZ' ? 'YYYY' : 'ZZZZ') : code
    const text = step.text.replace('{CODE}', wrong)
    const phone = intl(this.phoneOf(step.account))
    if (step.gateway === 'gammu') {
      const key = `${step.account}|${step.text}`
      // A redelivery is the same message again: same time in the name, another serial.
      const name = step.redelivery
        ? this.lastGammuName
            .get(key)!
            .replace(
              /_(\d{2})_(\+\d+)_00\.txt$/,
              (_m, s: string, p: string) =>
                `_${String((Number(s) + 50) % 100).padStart(2, '0')}_${p}_00.txt`,
            )
        : gammuName(step.at, this.serial++, phone)
      this.lastGammuName.set(key, name)
      // Half the modems are set to `inboxformat = unicode` (UTF-16 big-endian after FE FF), half to standard (UTF-8).
      const body =
        this.serial % 2 === 0
          ? Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
          : Buffer.from(text, 'utf8')
      writeFileSync(join(this.options.gammuInbox!, name), body)
      this.files.set(step, name)
      return
    }
    const receivedAt = new Date(DAY + (step.sentAt ?? step.at) * 1000).toISOString()
    const raw = JSON.stringify({
      event: 'sms:received',
      id: `sim-${step.tps}-${step.at}`,
      payload: { messageId: 'sim', message: text, phoneNumber: phone, simNumber: 1, receivedAt },
    })
    const headers: Record<string, string> = {}
    if (this.options.android?.signingKey) {
      const ts = String(Math.floor(Date.now() / 1000))
      headers['X-Timestamp'] = ts
      headers['X-Signature'] = createHmac('sha256', this.options.android.signingKey)
        .update(raw + ts)
        .digest('hex')
    }
    const r = await this.client.request<{ status?: string; duplicateDelivery?: boolean }>(
      'POST',
      '/sms/android',
      { headers, body: raw, contentType: 'application/json' },
    )
    const got = r.body?.duplicateDelivery
      ? 'duplicate_delivery'
      : (r.body?.status ?? `HTTP ${r.status}`)
    if (got !== step.expect)
      this.note(`${step.tps} (android): diharapkan ${step.expect}, didapat ${got}`)
  }

  /**
   * The desk has not taken this step's message yet: its gammu file is still in the inbox (the desk
   * moves it away once the message is stored and answered). The webhook answers at once: never.
   */
  waiting(step: SmsStep): boolean {
    const name = this.files.get(step)
    return name !== undefined && existsSync(join(this.options.gammuInbox!, name))
  }

  /** Wait for gammu's files to be read (bounded), then count the statuses in the desk's SMS log. */
  async finish(planned: SmsPlanCounts, signal?: AbortSignal): Promise<SmsRunSummary> {
    const inbox = this.options.gammuInbox
    const deadline = Date.now() + 120_000
    while (
      inbox &&
      existsSync(inbox) &&
      readdirSync(inbox).some((n) => n.startsWith('IN')) &&
      Date.now() < deadline &&
      !signal?.aborted
    ) {
      await new Promise((ok) => setTimeout(ok, 500))
    }
    if (inbox && readdirSync(inbox).some((n) => n.startsWith('IN')))
      this.note(
        'berkas inbox gammu belum dibaca desk setelah 2 menit (apakah desk memakai --sms-gammu-inbox yang sama?)',
      )
    let before: number | undefined
    for (;;) {
      const r = await this.client.request<SmsOverviewDto>(
        'GET',
        `/sms?limit=500${before ? `&before=${before}` : ''}`,
        { token: this.token },
      )
      if (r.status !== 200) {
        this.note(`GET /sms: HTTP ${r.status}`)
        break
      }
      const page = r.body.messages.filter((m) => m.id > this.startId)
      for (const m of page)
        if (m.direction === 'in') this.got[m.status] = (this.got[m.status] ?? 0) + 1
      if (page.length < r.body.messages.length || r.body.messages.length === 0) break
      before = r.body.messages[r.body.messages.length - 1]!.id
    }
    // Every planned message is in the log once (a redelivery is not stored again), with its status.
    for (const status of ['counted', 'refused', 'wrong_code'] as const) {
      if ((this.got[status] ?? 0) !== planned.expect[status])
        this.note(
          `SMS ${status}: direncanakan ${planned.expect[status]}, di log desk ${this.got[status] ?? 0}`,
        )
    }
    const other = Object.entries(this.got).filter(
      ([s]) => !['counted', 'refused', 'wrong_code'].includes(s),
    )
    for (const [s, n] of other) this.note(`SMS berstatus ${s}: ${n}`)
    return { planned, got: this.got, unexpected: this.unexpected, ok: this.unexpected.length === 0 }
  }
}
