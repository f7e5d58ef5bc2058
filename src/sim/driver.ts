// The driver: plays a plan against a running desk through its public HTTP API only — imports the
// synthetic registry, creates the accounts, then sends every request at its simulated time as the
// account it belongs to, and keeps count of what the desk answered.

import type { ConfigDto, ProgressDto } from '../shared/api'
import { formatCount } from '../shared/format'
import { AbortedError, DeskClient, errorMessage, type ApiAnswer } from './client'
import { buildPlan, resolveRates, resolveScope } from './plan'
import { registryCsv } from './registry'
import { addSmsReporters, SmsSender, type SmsRunSummary, type SmsSimOptions } from './sms'
import type {
  Expect,
  Expected,
  FaultRates,
  PlanCounts,
  RegionsView,
  SimAccount,
  SimPlan,
  SimSettings,
  SimTps,
  Step,
} from './types'
import { verifyAgainstDesk, type VerifyResult } from './verify'

export interface RunOptions extends Omit<SimSettings, 'kecamatan'> {
  url: string
  /** The desk's admin token. */
  token: string
  /** Simulated seconds per real second: 60 plays one simulated minute per second. */
  speed?: number
  /** `N` (the first N kecamatan) or a list of codes, short numbers or names. */
  kecamatan?: string | string[]
  /** Requests in flight at once. */
  concurrency?: number
  /** Run against a desk that is not in training mode (load tests before the night). */
  allowReal?: boolean
  /** Compare the desk's recap and progress with the expected ones at the end. */
  verify?: boolean
  /** Running summary every this many real milliseconds (0: none). */
  progressEvery?: number
  log?: (line: string) => void
  signal?: AbortSignal
  fetch?: typeof fetch
  /** A share of desa reporters by SMS through these gateways of the desk (issue 15). */
  sms?: SmsSimOptions
  /** Called before each step is sent, with its simulated time (seconds after 13:00 WIB). */
  onSimTime?: (simSeconds: number) => void
  /** Called once the accounts exist, with their access codes (the demo shows one to try /lapor). */
  onAccounts?: (accounts: (SimAccount & { accessCode: string })[]) => void
}

export interface Counts {
  /** Result submissions sent (a resend after 429 is not counted again). */
  sent: number
  accepted: number
  duplicate: number
  conflict: number
  rejected: number
  /** Any other answer (403, 404, 409, 5xx) or no answer. */
  errors: number
  postponed: number
  incidentsSent: number
  incidentsSkipped: number
}

export interface Unexpected {
  tps: string
  contest?: string
  fault?: string
  expected: string
  got: string
}

export interface SimSummary {
  simulator: 'desk-pilkada-simulasi/1'
  seed: string
  speed: number
  regency: { code: string; name: string }
  training: boolean
  scope: { kecamatan: string[]; tps: number; accounts: number; syntheticRegistry: boolean }
  rates: FaultRates
  planned: PlanCounts
  counts: Counts
  unexpected: { count: number; examples: Unexpected[] }
  expected: Expected
  /** What differs from run to run (timing, the desk's address); leave it out when comparing runs. */
  run: {
    url: string
    startedAt: string
    finishedAt: string
    seconds: number
    perSecond: number
    rateLimited: number
    networkRetries: number
    registryImported: number
    incidentsEndpoint: boolean | null
    /** The desk had results before this run (a rerun): answers then differ from the plan's. */
    deskHadResults: boolean
    aborted: boolean
    warnings: string[]
  }
  verify?: VerifyResult
  /** SMS reporters: what was planned and what the desk's SMS log says (issue 15). */
  sms?: SmsRunSummary
}

/** How long a TPS waits for the desk to take its SMS before its next step goes anyway. */
const SMS_TAKE_MS = 120_000

const STATUS_OF: Record<number, Expect> = {
  201: 'accepted',
  200: 'duplicate',
  202: 'conflict',
  400: 'rejected',
}

/** A counting semaphore: at most `n` requests in flight. */
class Gate {
  private active = 0
  private readonly waiting: (() => void)[] = []
  constructor(private readonly n: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((ok) => this.waiting.push(ok))
    this.active++
    try {
      return await fn()
    } finally {
      this.active--
      this.waiting.shift()?.()
    }
  }
}

/**
 * Timers for thousands of waiting TPS with one abort listener between them (a listener per
 * sleeping TPS would pile thousands onto the signal).
 */
class Timers {
  private readonly pending = new Set<{
    timer: ReturnType<typeof setTimeout>
    fail: (e: Error) => void
  }>()
  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener(
      'abort',
      () => {
        for (const p of this.pending) {
          clearTimeout(p.timer)
          p.fail(new AbortedError())
        }
        this.pending.clear()
      },
      { once: true },
    )
  }

  wait(ms: number): Promise<void> {
    if (this.signal?.aborted) return Promise.reject(new AbortedError())
    if (ms <= 0) return Promise.resolve()
    return new Promise((ok, fail) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry)
          ok()
        }, ms),
        fail,
      }
      this.pending.add(entry)
    })
  }
}

/** "14:32 WIB" for a simulated second after 13:00 WIB. */
export function simClock(seconds: number): string {
  const minutes = 13 * 60 + Math.floor(seconds / 60)
  return `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')} WIB`
}

async function expectOk<T>(answer: Promise<ApiAnswer<T>>, what: string): Promise<T> {
  const a = await answer
  if (a.status < 200 || a.status >= 300)
    throw new Error(`${what} gagal (HTTP ${a.status}): ${errorMessage(a)}`)
  return a.body
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Access code per account key; SMS codes into `smsCodes` (issue 15). */
async function createAccounts(
  client: DeskClient,
  token: string,
  accounts: SimAccount[],
  smsCodes = new Map<string, string>(),
): Promise<Map<string, string>> {
  const codes = new Map<string, string>()
  const csv =
    [
      'nama,hp,peran,kode_wilayah',
      ...accounts.map((a) => [csvCell(a.name), a.phone, a.role, a.region].join(',')),
    ].join('\n') + '\n'
  const bulk = await client.request<{
    users?: { name: string; role: string; region: string; accessCode: string; smsCode?: string }[]
  }>('POST', '/users/import?simulated=1', {
    token,
    body: csv,
    contentType: 'text/csv',
  })
  if (bulk.status >= 200 && bulk.status < 300 && Array.isArray(bulk.body.users)) {
    const byIdentity = new Map(bulk.body.users.map((u) => [`${u.name}|${u.role}|${u.region}`, u]))
    for (const a of accounts) {
      const u = byIdentity.get(`${a.name}|${a.role}|${a.region}`)
      if (u) codes.set(a.key, u.accessCode)
      if (u?.smsCode) smsCodes.set(a.key, u.smsCode)
    }
    if (codes.size === accounts.length) return codes
    codes.clear()
  }
  // No bulk endpoint (404), or it refused the list (the same simulated names exist from an
  // earlier run): POST /users takes them again and gives fresh codes.
  const gate = new Gate(4)
  await Promise.all(
    accounts.map((a) =>
      gate.run(async () => {
        const created = await expectOk(
          client.request<{ accessCode: string; smsCode?: string }>('POST', '/users?simulated=1', {
            token,
            body: { name: a.name, phone: a.phone, role: a.role, region: a.region },
          }),
          `Membuat akun ${a.name}`,
        )
        codes.set(a.key, created.accessCode)
        if (created.smsCode) smsCodes.set(a.key, created.smsCode)
      }),
    ),
  )
  return codes
}

/** Read the desk and build the plan (no writes). */
export async function planFor(
  client: DeskClient,
  options: RunOptions,
): Promise<{ plan: SimPlan; training: boolean; deskHadResults: boolean; warnings: string[] }> {
  const { token } = options
  const health = await expectOk(
    client.request<{ status: string; training: boolean; regency: string }>('GET', '/health'),
    'GET /health',
  )
  if (!health.training && !options.allowReal) {
    throw new Error(
      'Desk ini BUKAN mode latihan: simulasi akan menambah data (bertanda simulasi) ke desk sungguhan. ' +
        'Jalankan desk latihan (serve --training, atau npm run demo), atau tambahkan --allow-real bila memang disengaja (uji beban sebelum hari H).',
    )
  }
  const config = await expectOk(client.request<ConfigDto>('GET', '/config'), 'GET /config')
  const regions = await expectOk(client.request<RegionsView>('GET', '/regions'), 'GET /regions')
  const tps = await expectOk(
    client.request<{ tps: SimTps[] }>('GET', '/tps', { token }),
    'GET /tps (token admin)',
  )
  const progress = await expectOk(
    client.request<ProgressDto>('GET', '/progress', { token }),
    'GET /progress',
  )
  const warnings: string[] = []
  const deskHadResults = progress.contests.some((c) => c.reported > 0)
  if (deskHadResults) {
    warnings.push(
      'Desk sudah berisi hasil. Simulasi tetap berjalan; --verify hanya cocok bila hasil itu dari simulasi dengan seed dan wilayah yang sama.',
    )
  }
  const scope = resolveScope(regions, options.kecamatan)
  const plan = buildPlan({
    regions,
    contests: config.contests,
    registry: tps.tps,
    settings: {
      seed: options.seed,
      kecamatan: scope,
      ...(options.scale !== undefined ? { scale: options.scale } : {}),
      ...(options.rates ? { rates: options.rates } : {}),
      ...(options.shares ? { shares: options.shares } : {}),
      ...(options.turnout !== undefined ? { turnout: options.turnout } : {}),
    },
  })
  if (tps.tps.length > 0 && plan.counts.tps === 0)
    warnings.push(
      'Daftar TPS desk tidak berisi TPS di kecamatan yang dipilih: tidak ada yang dilaporkan.',
    )
  return { plan, training: health.training, deskHadResults, warnings }
}

export async function runSimulation(options: RunOptions): Promise<SimSummary> {
  const log = options.log ?? (() => {})
  const speed = options.speed ?? 60
  if (!(speed > 0)) throw new Error('--speed harus angka lebih dari 0')
  const client = new DeskClient(options.url, options.signal, options.fetch)
  const { token } = options
  const { plan, training, deskHadResults, warnings } = await planFor(client, options)
  const smsPlanned = options.sms ? addSmsReporters(plan, options.sms) : null
  for (const w of warnings) log(`Peringatan: ${w}`)
  const started = new Date()

  // 1. The registry, when the desk has none.
  let registryImported = 0
  if (plan.syntheticRegistry) {
    log(
      `Desk belum punya daftar TPS: mengimpor ${formatCount(plan.syntheticRegistry.length)} TPS simulasi…`,
    )
    const imported = await expectOk(
      client.request<{ imported: number; updated: number }>('POST', '/tps/import?simulated=1', {
        token,
        body: registryCsv(plan.syntheticRegistry),
        contentType: 'text/csv',
      }),
      'Impor TPS simulasi',
    )
    registryImported = imported.imported + imported.updated
  }

  // 2. Accounts: in one bulk import where the desk has POST /users/import, else one by one
  // (scrypt makes each cost the desk ~50 ms: a few at a time).
  log(
    `Membuat ${formatCount(plan.accounts.length)} akun simulasi (pelapor desa/kelurahan, petugas kecamatan, operator)…`,
  )
  const smsCodes = new Map<string, string>()
  const codes = await createAccounts(client, token, plan.accounts, smsCodes)
  const phones = new Map(plan.accounts.map((a) => [a.key, a.phone]))
  const sms =
    options.sms && smsPlanned
      ? new SmsSender(
          client,
          token,
          options.sms,
          (k) => phones.get(k)!,
          (k) => smsCodes.get(k) ?? '????',
        )
      : null
  if (sms && smsPlanned) {
    await sms.begin()
    log(
      `SMS: ${formatCount(smsPlanned.tps)} TPS dilaporkan lewat SMS (${formatCount(smsPlanned.messages)} pesan; salah ketik ${formatCount(smsPlanned.typos)}, kode salah ${formatCount(smsPlanned.wrongCodes)}, terkirim dua kali ${formatCount(smsPlanned.redeliveries)}).`,
    )
  }
  options.onAccounts?.(plan.accounts.map((a) => ({ ...a, accessCode: codes.get(a.key)! })))

  // 3. The night.
  const counts: Counts = {
    sent: 0,
    accepted: 0,
    duplicate: 0,
    conflict: 0,
    rejected: 0,
    errors: 0,
    postponed: 0,
    incidentsSent: 0,
    incidentsSkipped: 0,
  }
  const unexpected: Unexpected[] = []
  let unexpectedCount = 0
  const reportedTps = new Set<string>()
  let incidentsEndpoint: boolean | null = null
  const gate = new Gate(Math.max(1, options.concurrency ?? 8))
  const timers = new Timers(options.signal)
  let smsStalled = false
  const t0 = Date.now()
  const simNow = () => ((Date.now() - t0) / 1000) * speed
  const note = (u: Unexpected) => {
    unexpectedCount++
    if (unexpected.length < 20) unexpected.push(u)
  }

  const execute = async (step: Step): Promise<void> => {
    if (step.kind === 'result') {
      const answer = await client.request<{ error?: { code: string }; replayOf?: Expect }>(
        'POST',
        '/results',
        {
          token: codes.get(step.account)!,
          headers: { 'X-Desk-Channel': step.channel },
          body: step.body,
        },
      )
      counts.sent++
      // Resent after a lost connection: the desk answers with the replay of what it decided first.
      const got =
        answer.resent && answer.status === 200 && answer.body?.replayOf
          ? answer.body.replayOf
          : STATUS_OF[answer.status]
      if (got) counts[got]++
      else counts.errors++
      if (got === 'accepted') reportedTps.add(step.body.tps)
      if (got !== step.expect) {
        note({
          tps: step.body.tps,
          contest: step.body.contest,
          ...(step.fault ? { fault: step.fault } : {}),
          expected: step.expect,
          got: got ?? `${answer.status} ${answer.body?.error?.code ?? ''}`.trim(),
        })
      }
    } else if (step.kind === 'sms') {
      if (sms) await sms.send(step)
      if (!step.redelivery && step.expect === 'counted') reportedTps.add(step.tps)
    } else if (step.kind === 'postpone') {
      const answer = await client.request(
        'POST',
        `/tps/${encodeURIComponent(step.tps)}/status?simulated=1`,
        {
          token,
          body: { status: 'postponed', reason: step.reason },
        },
      )
      if (answer.status === 200) counts.postponed++
      else
        note({
          tps: step.tps,
          expected: 'postponed',
          got: `${answer.status} ${errorMessage(answer)}`,
        })
    } else {
      if (incidentsEndpoint === false) {
        counts.incidentsSkipped++
        return
      }
      const answer = await client.request<{ error?: { fields?: unknown } }>(
        'POST',
        '/incidents?simulated=1',
        {
          token: codes.get(step.account)!,
          headers: { 'X-Desk-Channel': 'simulasi' },
          body: step.body,
        },
      )
      // An unknown path answers 404 without naming a field: this desk has no incident reports.
      if (answer.status === 404 && !answer.body?.error?.fields) {
        incidentsEndpoint = false
        counts.incidentsSkipped++
      } else if (answer.status >= 200 && answer.status < 300) {
        incidentsEndpoint = true
        counts.incidentsSent++
      } else {
        note({
          tps: step.body.tps,
          expected: 'incident',
          got: `${answer.status} ${errorMessage(answer)}`,
        })
      }
    }
  }

  // The running line shows the rate since the previous line; the last one the whole run's.
  let lastSent = 0
  let lastAt = t0
  const line = (prefix: string, overall = false) => {
    const now = Date.now()
    const seconds = Math.max(0.001, (now - (overall ? t0 : lastAt)) / 1000)
    const rate = (counts.sent - (overall ? 0 : lastSent)) / seconds
    lastSent = counts.sent
    lastAt = now
    return (
      `${prefix}${simClock(Math.min(simNow(), 6 * 3600))} · terkirim ${formatCount(counts.sent)} · diterima ${formatCount(counts.accepted)} · ` +
      `duplikat ${formatCount(counts.duplicate)} · konflik ${formatCount(counts.conflict)} · ditolak ${formatCount(counts.rejected)}` +
      (counts.errors ? ` · galat ${formatCount(counts.errors)}` : '') +
      ` · ${rate.toLocaleString('id-ID', { maximumFractionDigits: 1 })}/detik${overall ? ' rata-rata' : ''}` +
      ` · TPS melapor ${formatCount(reportedTps.size)}/${formatCount(expectedTps)}` +
      // The denominator is the TPS expected to report: a postponed one leaves it (said, so that
      // "0/4.045" after "4.046 TPS" imported is not read as a TPS lost).
      (plan.counts.postponed
        ? ` (${formatCount(plan.counts.tps)} TPS − ${formatCount(plan.counts.postponed)} ditunda)`
        : '')
    )
  }
  const expectedTps = plan.counts.tps - plan.counts.postponed

  log(
    `Simulasi ${plan.regency.name}: ${formatCount(plan.counts.tps)} TPS di ${plan.scope.length} kecamatan` +
      (plan.counts.postponed
        ? ` (${formatCount(plan.counts.postponed)} akan ditunda: ${formatCount(expectedTps)} TPS diharapkan melapor)`
        : '') +
      `, ${formatCount(plan.counts.requests)} kiriman hasil, kecepatan ${speed}× (seed ${plan.seed}).`,
  )
  const ticker = options.progressEvery
    ? setInterval(() => log(line('')), options.progressEvery)
    : null
  let aborted = false
  try {
    await Promise.all(
      plan.chains.map(async (chain) => {
        for (const [i, step] of chain.steps.entries()) {
          await timers.wait(t0 + (step.at / speed) * 1000 - Date.now())
          await gate.run(() => {
            options.onSimTime?.(step.at)
            return execute(step)
          })
          // The desk reads gammu's inbox at its own pace (a poll, then a file must settle): a few
          // real seconds, which at the simulator's speed are simulated minutes. On the night the
          // message is in long before the TPS's next step (the SMS after a typo, the kecamatan
          // officer's copy), so the plan expects it there first: this TPS waits for the desk to take
          // it (bounded; the other TPS go on meanwhile).
          // A desk that left one file unread that long is not reading this inbox: stop waiting.
          if (step.kind === 'sms' && sms && !smsStalled && i < chain.steps.length - 1) {
            const until = Date.now() + SMS_TAKE_MS
            while (sms.waiting(step) && !smsStalled) {
              if (Date.now() >= until) smsStalled = true
              else await timers.wait(50)
            }
          }
        }
      }),
    )
  } catch (e) {
    if (!(e instanceof AbortedError)) throw e
    aborted = true
  } finally {
    if (ticker) clearInterval(ticker)
  }
  log(line(aborted ? 'Dihentikan · ' : 'Selesai · ', true))

  const finished = new Date()
  const seconds = (finished.getTime() - t0) / 1000
  const summary: SimSummary = {
    simulator: 'desk-pilkada-simulasi/1',
    seed: plan.seed,
    speed,
    regency: plan.regency,
    training,
    scope: {
      kecamatan: plan.scope,
      tps: plan.counts.tps,
      accounts: plan.accounts.length,
      syntheticRegistry: !!plan.syntheticRegistry,
    },
    rates: resolveRates(options.rates),
    planned: plan.counts,
    counts,
    unexpected: { count: unexpectedCount, examples: unexpected },
    expected: plan.expected,
    run: {
      url: options.url,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round((counts.sent / Math.max(seconds, 0.001)) * 10) / 10,
      rateLimited: client.stats.rateLimited,
      networkRetries: client.stats.networkRetries,
      registryImported,
      incidentsEndpoint,
      deskHadResults,
      aborted,
      warnings,
    },
  }
  // gammu's files are read by the desk at its own pace: wait for them before comparing the recap.
  if (sms && smsPlanned && !aborted) summary.sms = await sms.finish(smsPlanned, options.signal)
  if (options.verify && !aborted)
    summary.verify = await verifyAgainstDesk(client, token, plan.expected)
  return summary
}

/**
 * --verify passes when the desk's recap and progress equal the expected ones and, on a desk that
 * started empty, every request got the answer the plan foresaw (a retry taken as a duplicate, a
 * conflict held…), even where the totals would happen to agree.
 */
export function verificationPassed(s: SimSummary): boolean {
  return (
    !!s.verify?.ok &&
    (s.unexpected.count === 0 || s.run.deskHadResults) &&
    (!s.sms || s.sms.ok || s.run.deskHadResults)
  )
}

/** The final summary for people: a few lines in Indonesian. */
export function describeSummary(s: SimSummary): string[] {
  const c = s.counts
  const p = s.planned
  const out = [
    `Ringkasan simulasi (seed ${s.seed}, ${s.regency.name}${s.training ? ', mode latihan' : ''})${s.run.aborted ? ' — DIHENTIKAN sebelum selesai' : ''}`,
    `  TPS: ${formatCount(p.tps)} di ${s.scope.kecamatan.length} kecamatan · melapor ${formatCount(p.reportingTps)} · tidak pernah melapor ${formatCount(p.neverReport)} · ditunda ${formatCount(p.postponed)} · lewat telepon ${formatCount(p.phone)}`,
    `  Kiriman hasil: ${formatCount(c.sent)} (${s.run.perSecond.toLocaleString('id-ID')}/detik) · diterima ${formatCount(c.accepted)} · duplikat ${formatCount(c.duplicate)} · konflik ${formatCount(c.conflict)} · ditolak ${formatCount(c.rejected)}${c.errors ? ` · galat ${formatCount(c.errors)}` : ''}`,
    `  Gangguan: kirim ulang ${formatCount(p.retries)} · salah isi lalu dikoreksi ${formatCount(p.invalid)} · konflik petugas kecamatan ${formatCount(p.conflicts)} · konfirmasi sama ${formatCount(p.confirmations)}`,
    `  Laporan kejadian: ${s.run.incidentsEndpoint === false ? `dilewati (desk belum punya POST /incidents), ${formatCount(c.incidentsSkipped)}` : formatCount(c.incidentsSent)}`,
  ]
  if (s.sms) {
    const g = s.sms.got
    out.push(
      `  SMS: ${formatCount(s.sms.planned.tps)} TPS lewat SMS · ${formatCount(s.sms.planned.messages)} pesan · dihitung ${formatCount(g.counted ?? 0)} · ditolak ${formatCount(g.refused ?? 0)} · kode salah ${formatCount(g.wrong_code ?? 0)} · terkirim dua kali (dihitung sekali) ${formatCount(s.sms.planned.redeliveries)}`,
    )
    for (const u of s.sms.unexpected.slice(0, 5)) out.push(`    SMS tidak sesuai rencana: ${u}`)
  }
  if (s.run.rateLimited)
    out.push(
      `  Dibatasi desk (429, ditunggu lalu dikirim ulang): ${formatCount(s.run.rateLimited)}`,
    )
  for (const e of s.expected.recap) {
    const k = e.kabupaten
    const votes = Object.entries(k.votes)
      .map(([n, v]) => `paslon ${n} ${formatCount(v)}`)
      .join(' · ')
    out.push(
      `  Rekap yang diharapkan ${e.contest}: ${formatCount(k.tpsReported)}/${formatCount(k.tpsTotal)} TPS · ${votes} · tidak sah ${formatCount(k.invalid)}`,
    )
  }
  if (s.unexpected.count > 0) {
    out.push(
      `  Jawaban desk yang tidak sesuai rencana: ${formatCount(s.unexpected.count)}${s.run.deskHadResults ? ' (wajar: desk sudah berisi hasil sebelum simulasi ini)' : ''}`,
    )
    for (const u of s.unexpected.examples.slice(0, 5))
      out.push(
        `    ${u.tps}${u.contest ? ` ${u.contest}` : ''}${u.fault ? ` (${u.fault})` : ''}: diharapkan ${u.expected}, didapat ${u.got}`,
      )
  }
  if (s.verify) {
    if (verificationPassed(s)) {
      out.push(
        `  Verifikasi berhasil: rekap dan kemajuan desk sama dengan yang diharapkan (${s.verify.checked.contests} pemilihan, ${s.verify.checked.rows} baris kecamatan).`,
      )
    } else {
      out.push(
        `  Verifikasi GAGAL: ${formatCount(s.verify.differences.length)} perbedaan rekap/kemajuan` +
          (s.unexpected.count > 0 && !s.run.deskHadResults
            ? `, ${formatCount(s.unexpected.count)} jawaban tidak sesuai rencana`
            : ''),
      )
      for (const d of s.verify.differences.slice(0, 20)) out.push(`    ${d}`)
      if (s.verify.differences.length > 20)
        out.push(
          `    … dan ${formatCount(s.verify.differences.length - 20)} lagi (lihat --summary FILE)`,
        )
    }
  }
  return out
}
