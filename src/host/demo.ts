// `demo`: a training desk (mode latihan) in its own data dir, filled by the simulator at a speed
// that brings the board to life in a few minutes. Ctrl+C stops the simulator, then the desk.

import { networkInterfaces } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Logger } from '../server/logger'
import { AbortedError } from '../sim/client'
import {
  finish,
  processIo,
  SIM_OPTIONS,
  simSettingsFrom,
  UsageError,
  type CommandIo,
} from '../sim/command'
import { runSimulation } from '../sim/driver'
import { createDesk, wipeTrainingDataDir } from './desk'
import { DEFAULT_REGENCY } from './regions-source'

export const DEMO_PORT = 4047
export const DEMO_DATA_DIR = '.desk-data-latihan'
export const DEMO_SPEED = 90

export const DEMO_HELP = `Demo / latihan: desk MODE LATIHAN dengan simulator

  demo [pilihan]
    --data-dir DIR     folder data latihan (bawaan: ./${DEMO_DATA_DIR}); dikosongkan tiap mulai
    --keep             jangan kosongkan folder data (lanjutkan latihan sebelumnya)
    --port N           port HTTP (bawaan: ${DEMO_PORT})
    --host H           alamat dengar (bawaan: 0.0.0.0, agar HP peserta bimtek bisa membuka /lapor)
    --regency KODE     kabupaten/kota (bawaan: ${DEFAULT_REGENCY})
    --speed N          kecepatan simulasi (bawaan ${DEMO_SPEED}: 13:00–18:00 dalam ±3½ menit)
    --seed, --kecamatan, --scale, --rates, --shares, --turnout, --concurrency: seperti simulate
    --no-sim           hanya desk latihan, tanpa simulator
  Ctrl+C menghentikan simulator dan desk dengan rapi.
`

function lanAddresses(): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address)
  }
  return out
}

/**
 * The demo desk's clock: from 13:00 WIB of today it jumps to the simulated time of each step the
 * simulator sends, so arrivals land in the evening's own quarter-hours whatever speed the machine
 * manages, and runs on at real speed in between and after the simulation.
 */
export function simulatedClock(realNow: () => number = Date.now): {
  now: () => Date
  advance: (simSeconds: number) => void
} {
  const WIB_MS = 7 * 3_600_000
  const DAY_MS = 86_400_000
  const today13 = Math.floor((realNow() + WIB_MS) / DAY_MS) * DAY_MS - WIB_MS + 13 * 3_600_000
  // Simulated time jumps forward with each step and flows at the wall clock's pace in between, so
  // nothing that waits on the desk's clock (a gateway letting a file settle, a rate limit) stands
  // still while the simulator pauses or after it has finished.
  let base = { real: realNow(), sim: today13 }
  const now = () => base.sim + (realNow() - base.real)
  return {
    now: () => new Date(now()),
    advance: (simSeconds) => {
      const target = today13 + simSeconds * 1000
      if (target > now()) base = { real: realNow(), sim: target }
    },
  }
}

/** Only warnings and errors: a demo console should show the simulator, not every request. */
function quietLogger(io: CommandIo): Logger {
  const line =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      io.err(JSON.stringify({ level, msg, ...fields }))
  return { info() {}, warn: line('warn'), error: line('error') }
}

export interface DemoHandle {
  /** Resolves with the exit code once the demo has stopped. */
  done: Promise<number>
  /** Stop the simulator and the desk (what Ctrl+C does). */
  stop(): void
  url: Promise<string>
}

export function startDemo(args: string[], io: CommandIo = processIo): DemoHandle {
  const { values } = parseArgs({
    args,
    options: {
      ...SIM_OPTIONS,
      'data-dir': { type: 'string' },
      keep: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      regency: { type: 'string' },
      'no-sim': { type: 'boolean' },
      summary: { type: 'string' },
    },
    strict: true,
  })
  const abort = new AbortController()
  let stopRequested = false
  let resolveUrl: (u: string) => void = () => {}
  let rejectUrl: (e: unknown) => void = () => {}
  const url = new Promise<string>((ok, fail) => {
    resolveUrl = ok
    rejectUrl = fail
  })
  url.catch(() => {}) // nobody may be waiting for it
  let wake: () => void = () => {}
  const stopped = new Promise<void>((ok) => (wake = ok))
  const stop = () => {
    stopRequested = true
    abort.abort()
    wake()
  }

  const done = (async (): Promise<number> => {
    if (values.help) {
      io.out(DEMO_HELP)
      return 0
    }
    const settings = simSettingsFrom(values, DEMO_SPEED)
    const port = values.port !== undefined ? Number(values.port) : DEMO_PORT
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port harus angka 0–65535, bukan "${values.port}"`)
    const dataDir = resolve(values['data-dir'] ?? DEMO_DATA_DIR)
    if (!values.keep) wipeTrainingDataDir(dataDir)
    // SMS reporters through a gammu inbox folder of the demo's own (no modem needed).
    const smsDir = join(dataDir, 'sms-gammu')
    const clock = simulatedClock()
    const desk = await createDesk({
      sms: { gammu: { inbox: join(smsDir, 'inbox'), outbox: join(smsDir, 'outbox') } },
      dataDir,
      port,
      host: values.host ?? '0.0.0.0',
      regency: values.regency ?? DEFAULT_REGENCY,
      training: true,
      // The training desk keeps the election's own (simulated) time, so the board's arrivals chart
      // and every time on the screens follow the night being played, not the few real minutes.
      ...(values['no-sim'] ? {} : { now: clock.now }),
      logger: quietLogger(io),
      ...(io.env.DESK_ADMIN_TOKEN ? { adminToken: io.env.DESK_ADMIN_TOKEN } : {}),
    })
    resolveUrl(desk.url)
    let code = 0
    try {
      const hosts = [
        desk.url,
        ...(desk.host === '0.0.0.0' ? lanAddresses().map((a) => `http://${a}:${desk.port}`) : []),
      ]
      io.out(`Desk Pilkada — MODE LATIHAN (data simulasi) · ${desk.service.config().regency.name}`)
      io.out(`Folder data latihan: ${dataDir}`)
      io.out(`Token admin: ${desk.adminToken}`)
      io.out('Buka di peramban:')
      for (const [path, what] of [
        ['/', 'konsol operator (masuk dengan token admin)'],
        ['/papan', 'papan dinding'],
        ['/publik', 'halaman publik'],
        ['/lapor', 'formulir pelapor (HP)'],
      ] as const) {
        io.out(`  ${what.padEnd(44)} ${hosts.map((h) => h + path).join('  ')}`)
      }
      if (!values['no-sim'] && !stopRequested) {
        const summary = await runSimulation({
          ...settings,
          url: desk.url,
          token: desk.adminToken,
          verify: true,
          sms: { gammuInbox: join(smsDir, 'inbox'), share: 0.1 },
          progressEvery: values.quiet ? 0 : 5000,
          log: io.out,
          signal: abort.signal,
          onSimTime: clock.advance,
          onAccounts: (accounts) => {
            const reporter = accounts.find((a) => a.key.startsWith('desa:'))
            const operator = accounts.find((a) => a.key === 'operator')
            if (reporter)
              io.out(
                `Kode akses contoh untuk mencoba /lapor: ${reporter.accessCode} (${reporter.name}, wilayah ${reporter.region})`,
              )
            if (operator) io.out(`Kode akses operator simulasi: ${operator.accessCode}`)
          },
        }).catch((e: unknown) => {
          // Ctrl+C while the registry or the accounts were still being made.
          if (e instanceof AbortedError) return null
          throw e
        })
        if (summary) code = finish(summary, io, values.summary, true)
        if (code === 130) code = 0
      }
      if (!stopRequested) io.out('Desk latihan tetap berjalan. Tekan Ctrl+C untuk berhenti.')
      await stopped
    } finally {
      io.out('Menghentikan desk latihan…')
      await desk.close()
      io.out('Desk latihan berhenti dengan rapi.')
    }
    return code
  })()
  done.then(() => rejectUrl(new Error('Demo berhenti sebelum desk siap')), rejectUrl)
  return { done, stop, url }
}

/** `demo` from the command line: Ctrl+C (or SIGTERM) stops it cleanly; a second Ctrl+C forces. */
export async function demoCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  const demo = startDemo(args, io)
  let signals = 0
  const onSignal = () => {
    signals++
    if (signals > 1) process.exit(130)
    demo.stop()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await demo.done
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
