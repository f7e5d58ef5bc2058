import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDesk, type TestDesk } from '../helpers/desk'
import { runSimulator } from '../helpers/sim'

// A full Jember demo failed --verify: gammu's inbox is read by the desk a poll and a settle time
// after the file is written, while the kecamatan officer's later copy of the same TPS went out over
// HTTP at once. At the demo's speed the officer's copy reached the desk first (accepted), and the
// SMS then became a conflict. The smallest case: every TPS by SMS, every one with an officer's copy.
describe("simulator: an SMS TPS reaches the desk before the officer's copy of it", () => {
  let desk: TestDesk
  let root: string

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'desk-sms-order-'))
    desk = await startDesk({
      training: true,
      sms: {
        gammu: {
          inbox: join(root, 'inbox'),
          outbox: join(root, 'outbox'),
          pollMs: 100,
          settleMs: 300,
        },
      },
    })
  })
  afterAll(async () => {
    await desk.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('keeps each TPS in order however fast it plays, so --verify passes', async () => {
    const { code, summary, io } = await runSimulator(desk, join(root, 'summary.json'), [
      '--speed',
      '100000',
      '--seed',
      '3',
      '--kecamatan',
      'Jelbuk',
      '--scale',
      '0.15',
      '--rates',
      'neverReport=0,phone=0,retry=0,invalid=0,incident=0,postponed=0,conflict=0.5,confirm=1',
      '--quiet',
      '--verify',
      '--sms-gammu-inbox',
      join(root, 'inbox'),
      '--sms-share',
      '1',
    ])
    const p = summary.planned
    expect(summary.sms!.planned.tps).toBeGreaterThan(3)
    expect(p.conflicts, 'officer copies that differ').toBeGreaterThan(0)
    expect(p.confirmations, 'officer copies that agree').toBeGreaterThan(0)
    expect(summary.unexpected.examples).toEqual([])
    expect(summary.sms?.unexpected).toEqual([])
    expect(summary.verify?.differences).toEqual([])
    expect(summary.counts).toMatchObject({
      conflict: p.expect.conflict,
      duplicate: p.expect.duplicate,
      accepted: p.expect.accepted,
    })
    expect(io.errors).toEqual([])
    expect(code).toBe(0)
    expect(io.lines.some((l) => l.includes('Verifikasi berhasil'))).toBe(true)
  }, 120_000)
})
