// CLI verbs `simulate` (drive any running desk) and `demo` (a training desk with the simulator).

import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_RATES, type FaultRates } from './types'
import {
  describeSummary,
  runSimulation,
  verificationPassed,
  type RunOptions,
  type SimSummary,
} from './driver'

export const SIMULATE_HELP = `Simulasi malam pemilihan terhadap desk yang sedang berjalan (hanya lewat API HTTP)

  simulate --url URL --token TOKEN_ADMIN [pilihan]
    --url URL          alamat desk, mis. http://127.0.0.1:4047
    --token TOKEN      token admin (atau DESK_ADMIN_TOKEN)
    --speed N          detik simulasi per detik nyata (bawaan 60: satu menit per detik)
    --seed S           benih acak; seed sama = malam yang sama (bawaan 42)
    --kecamatan K      N (N kecamatan pertama) atau daftar: 35.09.15,Jelbuk,25
    --scale F          ukuran daftar TPS buatan dibanding aslinya (bawaan 1)
    --rates K=V,...    laju gangguan (0–1): ${Object.keys(DEFAULT_RATES)
      .filter((k) => k !== 'postponed')
      .join(', ')};
                       postponed = jumlah TPS ditunda (bawaan 1); "none" = tanpa gangguan
    --shares C=a,b,..  rata-rata perolehan per paslon, mis. bupati=38,62 (boleh diulang)
    --turnout F        rata-rata partisipasi (bawaan 0.72)
    --concurrency N    permintaan bersamaan (bawaan 8)
    --summary FILE     tulis ringkasan akhir (JSON) ke FILE
    --verify           bandingkan dengan GET /recap dan /progress desk; keluar 1 bila berbeda
    --allow-real       izinkan terhadap desk yang bukan mode latihan (uji beban)
    --sms-gammu-inbox DIR   sebagian pelapor lewat SMS: tulis berkas ke inbox gammu desk itu
    --sms-android-key K     sebagian pelapor lewat SMS: webhook Android bertanda tangan kunci K
    --sms-android-unsigned  webhook Android tanpa tanda tangan (desk --sms-android-allow-unsigned)
    --sms-share F      bagian TPS pelapor desa yang lewat SMS (bawaan 0.1)
    --quiet            tanpa ringkasan berjalan
`

export interface CommandIo {
  out: (line: string) => void
  err: (line: string) => void
  env: Record<string, string | undefined>
}

export const processIo: CommandIo = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  env: process.env,
}

export class UsageError extends Error {}

export function parseRates(spec: string | undefined): Partial<FaultRates> | undefined {
  if (spec === undefined) return undefined
  if (spec.trim() === 'none')
    return Object.fromEntries(
      Object.keys(DEFAULT_RATES).map((k) => [k, 0]),
    ) as unknown as FaultRates
  const out: Partial<FaultRates> = {}
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, raw] = part.split('=')
    if (!key || raw === undefined || !(key in DEFAULT_RATES)) {
      throw new UsageError(
        `--rates: "${part}" tidak dikenal; pakai kunci ${Object.keys(DEFAULT_RATES).join(', ')}`,
      )
    }
    const value = Number(raw)
    const k = key as keyof FaultRates
    if (
      k === 'postponed' ? !(Number.isInteger(value) && value >= 0) : !(value >= 0 && value <= 1)
    ) {
      throw new UsageError(
        `--rates ${key} harus ${k === 'postponed' ? 'bilangan bulat 0 atau lebih' : 'angka 0 sampai 1'}`,
      )
    }
    out[k] = value
  }
  return out
}

export function parseShares(specs: string[] | undefined): Record<string, number[]> | undefined {
  if (!specs || specs.length === 0) return undefined
  const out: Record<string, number[]> = {}
  for (const part of specs
    .flatMap((s) => s.split(';'))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]+)=([\d.,\s]+)$/.exec(part)
    if (!m) throw new UsageError(`--shares "${part}": tulis seperti bupati=38,62`)
    const values = m[2]!.split(',').map((s) => Number(s.trim()))
    if (values.some((v) => !(v > 0)))
      throw new UsageError(`--shares ${m[1]}: setiap angka harus lebih dari 0`)
    out[m[1]!] = values
  }
  return out
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!(n > 0)) throw new UsageError(`--${name} harus angka lebih dari 0, bukan "${raw}"`)
  return n
}

/** Options shared by `simulate` and `demo`. */
export const SIM_OPTIONS = {
  speed: { type: 'string' },
  seed: { type: 'string' },
  kecamatan: { type: 'string' },
  scale: { type: 'string' },
  rates: { type: 'string' },
  shares: { type: 'string', multiple: true },
  turnout: { type: 'string' },
  concurrency: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export function simSettingsFrom(
  values: Record<string, unknown>,
  defaultSpeed: number,
): Omit<RunOptions, 'url' | 'token'> {
  const scale =
    values.scale !== undefined ? positive('scale', values.scale as string, 1) : undefined
  if (scale !== undefined && scale > 1) throw new UsageError('--scale paling besar 1')
  const turnout =
    values.turnout !== undefined ? positive('turnout', values.turnout as string, 0.72) : undefined
  if (turnout !== undefined && turnout > 0.95) throw new UsageError('--turnout paling besar 0.95')
  const rates = parseRates(values.rates as string | undefined)
  const shares = parseShares(values.shares as string[] | undefined)
  return {
    seed: (values.seed as string | undefined) ?? '42',
    speed: positive('speed', values.speed as string | undefined, defaultSpeed),
    concurrency: Math.round(positive('concurrency', values.concurrency as string | undefined, 8)),
    ...(values.kecamatan ? { kecamatan: values.kecamatan as string } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(turnout !== undefined ? { turnout } : {}),
    ...(rates ? { rates } : {}),
    ...(shares ? { shares } : {}),
  }
}

/** `simulate`: returns the exit code (1 when --verify finds a difference). */
export async function simulateCommand(
  args: string[],
  io: CommandIo = processIo,
  signal?: AbortSignal,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...SIM_OPTIONS,
      url: { type: 'string' },
      token: { type: 'string' },
      summary: { type: 'string' },
      verify: { type: 'boolean' },
      'allow-real': { type: 'boolean' },
      'sms-gammu-inbox': { type: 'string' },
      'sms-android-key': { type: 'string' },
      'sms-android-unsigned': { type: 'boolean' },
      'sms-share': { type: 'string' },
    },
    strict: true,
  })
  if (values.help) {
    io.out(SIMULATE_HELP)
    return 0
  }
  if (!values.url) throw new UsageError('Sebutkan alamat desk: --url http://127.0.0.1:4046')
  const token = values.token ?? io.env.DESK_ADMIN_TOKEN
  if (!token) throw new UsageError('Token admin diperlukan: --token atau DESK_ADMIN_TOKEN')
  const summary = await runSimulation({
    ...simSettingsFrom(values, 60),
    url: values.url,
    token,
    verify: !!values.verify,
    allowReal: !!values['allow-real'],
    ...smsFrom(values),
    progressEvery: values.quiet ? 0 : 2000,
    log: io.out,
    ...(signal ? { signal } : {}),
  })
  return finish(summary, io, values.summary, !!values.verify)
}

/** SMS reporters (issue 15): which gateways of the desk to use, and how many TPS. */
function smsFrom(values: Record<string, unknown>): Pick<RunOptions, 'sms'> {
  const inbox = values['sms-gammu-inbox'] as string | undefined
  const key = values['sms-android-key'] as string | undefined
  const unsigned = !!values['sms-android-unsigned']
  if (!inbox && !key && !unsigned) {
    if (values['sms-share'] !== undefined)
      throw new UsageError('--sms-share perlu --sms-gammu-inbox atau --sms-android-key')
    return {}
  }
  const share = values['sms-share'] !== undefined ? Number(values['sms-share']) : 0.1
  if (!(share >= 0 && share <= 1)) throw new UsageError('--sms-share harus angka 0 sampai 1')
  return {
    sms: {
      share,
      ...(inbox ? { gammuInbox: resolve(inbox) } : {}),
      ...(key || unsigned ? { android: { signingKey: key ?? null } } : {}),
    },
  }
}

/** Print the summary, write it as JSON if asked, and decide the exit code. */
export function finish(
  summary: SimSummary,
  io: CommandIo,
  file: string | undefined,
  verify: boolean,
): number {
  for (const l of describeSummary(summary)) io.out(l)
  if (file) {
    writeFileSync(resolve(file), JSON.stringify(summary, null, 2) + '\n')
    io.out(`Ringkasan JSON: ${resolve(file)}`)
  }
  if (summary.run.aborted) return 130
  if (!verify) return 0
  if (verificationPassed(summary)) return 0
  io.err('Verifikasi gagal: lihat perbedaan di atas.')
  return 1
}
