import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CommandIo } from '../../src/sim/command'
import { simulatedClock, startDemo } from '../../src/host/demo'
import { startDesk } from '../helpers/desk'

const tmp = mkdtempSync(join(tmpdir(), 'desk-demo-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function captureIo(): CommandIo & { lines: string[]; errors: string[] } {
  const lines: string[] = []
  const errors: string[] = []
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env: {} }
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

const FAST = [
  '--port',
  '0',
  '--host',
  '127.0.0.1',
  '--speed',
  '200000',
  '--kecamatan',
  'Jelbuk',
  '--scale',
  '0.3',
  '--quiet',
]

async function runDemo(dataDir: string) {
  const io = captureIo()
  const demo = startDemo(['--data-dir', dataDir, ...FAST], io)
  const url = await demo.url
  await until(() => io.lines.some((l) => l.includes('tetap berjalan')))
  const token = io.lines.find((l) => l.startsWith('Token admin: '))!.slice('Token admin: '.length)
  return { io, demo, url, token }
}

describe('npm run demo', () => {
  const dataDir = join(tmp, 'latihan')

  it('starts a training desk, fills it with the simulator, prints what to open, and stops cleanly', async () => {
    const { io, demo, url, token } = await runDemo(dataDir)
    const health = (await (await fetch(`${url}/api/v1/health`)).json()) as { training: boolean }
    expect(health.training).toBe(true)
    for (const path of ['/', '/papan', '/publik', '/lapor'])
      expect(io.lines.some((l) => l.includes(`${url}${path}`))).toBe(true)
    expect(io.lines.some((l) => l.includes('Verifikasi berhasil'))).toBe(true)
    expect(
      io.lines.some((l) =>
        /^Kode akses contoh untuk mencoba \/lapor: [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/.test(l),
      ),
    ).toBe(true)
    const progress = (await (
      await fetch(`${url}/api/v1/progress`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { contests: { reported: number }[] }
    expect(progress.contests[0]!.reported).toBeGreaterThan(0)
    // The board's arrivals follow the election's own (simulated) time: from 13:00 WIB, spread over
    // the evening, not piled into the one real quarter-hour the demo took.
    const board = (await (
      await fetch(`${url}/api/v1/board/summary`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      arrivals: { start: string; counts: Record<string, number[]> }
    }
    expect(
      new Date(Date.parse(board.arrivals.start) + 7 * 3_600_000).toISOString().slice(11, 16),
    ).toBe('13:00')
    const buckets = board.arrivals.counts.gubernur!.filter((n) => n > 0).length
    // Eighteen TPS of one kecamatan: a handful of quarter-hours, never the one real quarter-hour the
    // demo took (on a loaded machine SMS reports, which wait for the gateway, arrive later).
    expect(buckets).toBeGreaterThanOrEqual(3)

    demo.stop()
    expect(await demo.done).toBe(0)
    expect(io.lines.at(-1)).toMatch(/berhenti dengan rapi/)
    expect(existsSync(join(dataDir, 'desk.lock'))).toBe(false)
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow()
  })

  it('starts from an empty training desk each time', async () => {
    const { demo, url, token } = await runDemo(dataDir)
    try {
      const users = (await (
        await fetch(`${url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { users: unknown[] }
      expect(users.users).toHaveLength(6 + 1 + 1) // Jelbuk's 6 desa, its kecamatan officer, the operator: not twice
    } finally {
      demo.stop()
      await demo.done
    }
  })

  it("never wipes a real desk's data, nor a folder that is not a desk", async () => {
    const realDir = join(tmp, 'real')
    const real = await startDesk({ dataDir: realDir })
    await real.stop()
    const io = captureIo()
    await expect(startDemo(['--data-dir', realDir, ...FAST], io).done).rejects.toThrow(/SUNGGUHAN/)
    expect(existsSync(join(realDir, 'desk.sqlite'))).toBe(true)

    await expect(startDemo(['--data-dir', tmp, ...FAST], captureIo()).done).rejects.toThrow(
      /bukan folder data desk/,
    )
    expect(existsSync(realDir)).toBe(true)
  })

  it("never wipes the folder of a training desk that is running (the desk's own lock)", async () => {
    const dir = join(tmp, 'running')
    const running = await startDesk({ dataDir: dir, training: true })
    try {
      await expect(startDemo(['--data-dir', dir, ...FAST], captureIo()).done).rejects.toThrow(
        `Desk lain (proses ${process.pid}) sedang memakai folder data`,
      )
      expect(existsSync(join(dir, 'desk.sqlite'))).toBe(true)
      expect(running.service.config().training).toBe(true)
      expect((await running.call('GET', '/health')).status).toBe(200)
    } finally {
      await running.stop()
    }
  })
})

describe("the demo desk's clock", () => {
  it('starts at 13:00 WIB, jumps forward with the simulator (never back), and never stands still', () => {
    let real = Date.parse('2026-12-05T03:10:00Z') // 10:10 WIB
    const clock = simulatedClock(() => real)
    const wib = () => new Date(clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 16)
    expect(wib()).toBe('2026-12-05T13:00')
    real += 60_000
    // Between steps it flows at the wall clock's pace: a gateway waiting for a file to settle, or a
    // rate limit, is never stuck on a clock that stands still.
    expect(wib()).toBe('2026-12-05T13:01')
    clock.advance(3 * 3600) // the simulator sends a report of 16:00
    clock.advance(2 * 3600) // a slower chain never moves the clock back
    expect(wib()).toBe('2026-12-05T16:00')
    real += 60_000
    expect(wib()).toBe('2026-12-05T16:01')
  })
})
