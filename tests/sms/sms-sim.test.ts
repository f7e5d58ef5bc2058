import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDesk, type TestDesk } from '../helpers/desk'
import { runSimulator } from '../helpers/sim'

const KEY = 'kunci-simulasi-0123'

describe('simulator: a share of reporters by SMS through both gateways, checked by --verify', () => {
  let desk: TestDesk
  let root: string
  let phone: Server
  let replies = 0

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'desk-sms-sim-'))
    phone = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        replies++
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"id":"x"}')
      })
    })
    await new Promise<void>((ok) => phone.listen(0, '127.0.0.1', ok))
    desk = await startDesk({
      training: true,
      sms: {
        gammu: {
          inbox: join(root, 'inbox'),
          outbox: join(root, 'outbox'),
          pollMs: 100,
          settleMs: 300,
        },
        android: {
          url: `http://127.0.0.1:${(phone.address() as AddressInfo).port}`,
          user: 'sms',
          password: 'p',
          signingKey: KEY,
        },
      },
    })
  })
  afterAll(async () => {
    await desk.stop()
    await new Promise<void>((ok) => phone.close(() => ok()))
    rmSync(root, { recursive: true, force: true })
  })

  it('counts every SMS TPS once, refuses typos and wrong codes, and the recap matches', async () => {
    const { code, summary, io } = await runSimulator(desk, join(root, 'summary.json'), [
      '--speed',
      '100000',
      '--seed',
      '15',
      '--kecamatan',
      'Jelbuk',
      '--scale',
      '0.5',
      '--rates',
      'retry=0.1,invalid=0.1,conflict=0.05,confirm=0.05,phone=0.05',
      '--quiet',
      '--verify',
      '--sms-gammu-inbox',
      join(root, 'inbox'),
      '--sms-android-key',
      KEY,
      '--sms-share',
      '0.6',
    ])
    expect(summary.sms?.unexpected).toEqual([])
    expect(summary.unexpected.examples).toEqual([])
    expect(summary.verify?.differences).toEqual([])
    expect(io.errors).toEqual([])
    expect(code).toBe(0)
    const p = summary.sms!.planned
    expect(p.tps).toBeGreaterThan(5)
    for (const k of ['typos', 'wrongCodes', 'redeliveries'] as const)
      expect(p[k], k).toBeGreaterThan(0)
    expect(summary.sms!.got).toMatchObject({
      counted: p.expect.counted,
      refused: p.expect.refused,
      wrong_code: p.expect.wrong_code,
    })
    // Both gateways carried messages: gammu's files were all read, the phone sent replies.
    expect(readdirSync(join(root, 'processed')).length).toBeGreaterThan(0)
    expect(readdirSync(join(root, 'inbox'))).toEqual([])
    expect(replies).toBeGreaterThan(0)
    expect(io.lines.some((l) => l.startsWith('  SMS: '))).toBe(true)
  }, 180_000)
})
