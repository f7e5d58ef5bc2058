import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DeskClient } from '../../src/sim/client'
import { simulateCommand } from '../../src/sim/command'
import type { SimSummary } from '../../src/sim/driver'
import { verifyAgainstDesk } from '../../src/sim/verify'
import { ADMIN_TOKEN, startDesk, type TestDesk } from '../helpers/desk'
import { captureIo, runSimulator } from '../helpers/sim'

const tmp = mkdtempSync(join(tmpdir(), 'desk-sim-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

// Two small kecamatan at a fraction of their TPS, every fault frequent enough to occur.
const ARGS = [
  '--speed',
  '200000',
  '--seed',
  '7',
  '--kecamatan',
  'Jelbuk,Sukorambi',
  '--scale',
  '0.35',
  '--rates',
  'neverReport=0.08,phone=0.15,retry=0.15,invalid=0.12,conflict=0.1,confirm=0.1,incident=0.1,postponed=1',
  '--quiet',
  '--verify',
]

const simulate = (desk: TestDesk, name: string) =>
  runSimulator(desk, join(tmp, `${name}.json`), ARGS)

/** Everything but the run's timing and address. */
const comparable = (s: SimSummary) => ({ ...s, run: undefined, verify: undefined })

describe('simulate against a real training desk', () => {
  let first: Awaited<ReturnType<typeof simulate>>
  let desk: TestDesk

  it('builds the registry, creates the accounts, plays the night and passes --verify', async () => {
    desk = await startDesk({ training: true })
    first = await simulate(desk, 'first')
    const { code, summary, io } = first
    expect(io.errors).toEqual([])
    expect(code).toBe(0)
    expect(summary.verify?.ok).toBe(true)
    expect(summary.verify?.differences).toEqual([])
    expect(summary.unexpected.count).toBe(0)
    expect(summary.training).toBe(true)
    expect(summary.scope).toMatchObject({
      kecamatan: ['35.09.15', '35.09.25'],
      syntheticRegistry: true,
    })

    // Every kind of fault happened, and the desk answered each as it should.
    const p = summary.planned
    for (const k of [
      'neverReport',
      'postponed',
      'phone',
      'retries',
      'invalid',
      'conflicts',
      'confirmations',
    ] as const)
      expect(p[k], k).toBeGreaterThan(0)
    expect(summary.counts).toMatchObject({
      sent: p.requests,
      accepted: p.expect.accepted,
      duplicate: p.expect.duplicate,
      conflict: p.expect.conflict,
      rejected: p.expect.rejected,
      errors: 0,
      postponed: 1,
    })
    expect(summary.counts.incidentsSent + summary.counts.incidentsSkipped).toBe(p.incidents)
    expect(io.lines.some((l) => l.startsWith('Ringkasan simulasi'))).toBe(true)
    expect(
      io.lines.some((l) => l.includes('Verifikasi berhasil: rekap dan kemajuan desk sama')),
    ).toBe(true)
    // The TPS count said at the start and the progress line's denominator agree, or say why not.
    const n = (x: number) => x.toLocaleString('id-ID')
    expect(io.lines.find((l) => l.startsWith('Simulasi '))).toContain(
      `${n(p.tps)} TPS di 2 kecamatan (1 akan ditunda: ${n(p.tps - 1)} TPS diharapkan melapor)`,
    )
    expect(io.lines.find((l) => l.startsWith('Selesai · '))).toMatch(
      new RegExp(
        `TPS melapor [\\d.]+/${n(p.tps - 1).replace('.', '\\.')} \\(${n(p.tps).replace('.', '\\.')} TPS − 1 ditunda\\)$`,
      ),
    )
  })

  it('marks everything it created as simulated, and reports over the simulasi and telepon channels', async () => {
    const tps = await desk.call('GET', '/tps')
    const list = tps.body.tps as {
      code: string
      simulated: boolean
      status: string
      number: number
    }[]
    expect(list.length).toBe(first.summary.scope.tps)
    expect(list.every((t) => t.simulated)).toBe(true)
    expect(list.filter((t) => t.number >= 900).map((t) => t.number)).toEqual([901, 902])
    expect(list.filter((t) => t.status === 'postponed')).toHaveLength(1)
    const users = await desk.call('GET', '/users')
    expect(users.body.users).toHaveLength(first.summary.scope.accounts)
    expect(users.body.users.every((u: { simulated: boolean }) => u.simulated)).toBe(true)
    const channels = desk.store.db
      .prepare('SELECT channel, count(*) AS n FROM submissions GROUP BY channel ORDER BY channel')
      .all() as { channel: string; n: number }[]
    expect(channels.map((c) => c.channel)).toEqual(['simulasi', 'telepon'])
  })

  it('--verify fails when the desk holds something the simulation did not send', async () => {
    const open = (
      await desk.call('GET', '/recap?contest=bupati&level=tps&parent=35.09.25')
    ).body.rows.find(
      (r: { reported: boolean; status: string }) => !r.reported && r.status === 'active',
    )
    expect(open).toBeDefined()
    const sent = await desk.call('POST', '/results', {
      submissionId: 'manual-0001',
      tps: open.code,
      contest: 'bupati',
      votes: { '1': 100, '2': 150 },
      invalid: 3,
    })
    expect(sent.status).toBe(201)
    const result = await verifyAgainstDesk(
      new DeskClient(desk.url),
      ADMIN_TOKEN,
      first.summary.expected,
    )
    expect(result.ok).toBe(false)
    expect(
      result.differences.some((d) => d.includes('Kec. Jelbuk') && d.includes('TPS melapor')),
    ).toBe(true)
    expect(result.differences.some((d) => d.startsWith('kemajuan bupati'))).toBe(true)
    await desk.stop()
  })

  it('gives the same summary for the same seed on a fresh desk', async () => {
    const fresh = await startDesk({ training: true })
    try {
      const second = await simulate(fresh, 'second')
      expect(second.code).toBe(0)
      expect(comparable(second.summary)).toEqual(comparable(first.summary))
    } finally {
      await fresh.stop()
    }
  })

  it('refuses a desk that is not in training mode unless told to', async () => {
    const real = await startDesk()
    try {
      const io = captureIo()
      await expect(
        simulateCommand(['--url', real.url, '--token', ADMIN_TOKEN, ...ARGS], io),
      ).rejects.toThrow(/BUKAN mode latihan/)
      expect((await real.call('GET', '/tps')).body.tps).toHaveLength(0)
      expect((await real.call('GET', '/users')).body.users).toHaveLength(0)
    } finally {
      await real.stop()
    }
  })
})
