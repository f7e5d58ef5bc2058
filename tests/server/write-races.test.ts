import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/service/principal'
import { DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// Two requests that land in the same group-commit batch: each decision must see the other's
// write, not the state from before the batch.
describe('decisions made inside the single writer', () => {
  let desk: TestDesk
  const admin: Principal = { id: 'admin', name: 'Admin', role: 'admin', region: '35.09' }
  const meta = { channel: 'api', address: '127.0.0.1' }
  const result = (tps: string) => ({
    submissionId: sid(),
    tps,
    contest: 'bupati',
    votes: { '1': 100, '2': 90 },
    invalid: 5,
  })
  beforeAll(async () => {
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 5, 300))).status).toBe(200)
  })
  afterAll(() => desk.stop())

  it('asks for confirmation when a TPS is postponed right behind its first result', async () => {
    const tps = `${DESA_A}.001`
    const submit = desk.service.submitResult(admin, result(tps), meta)
    const postpone = desk.service.setTpsStatus(admin, tps, {
      status: 'postponed',
      reason: 'Banjir di lokasi',
    })
    const [sent, postponed] = await Promise.allSettled([submit, postpone])
    expect(sent.status).toBe('fulfilled')
    expect(postponed.status).toBe('rejected')
    expect((postponed as PromiseRejectedResult).reason.code).toBe('tps_has_result')
    expect(desk.service.getTps(tps).status).toBe('active')
  })

  it('keeps a result refused because its TPS was postponed in the same batch in the refusals log', async () => {
    const tps = `${DESA_A}.002`
    const body = result(tps)
    const postpone = desk.service.setTpsStatus(admin, tps, {
      status: 'postponed',
      reason: 'Banjir di lokasi',
    })
    const submit = desk.service.submitResult(admin, body, meta)
    const [, sent] = await Promise.allSettled([postpone, submit])
    expect(sent.status).toBe('rejected')
    expect((sent as PromiseRejectedResult).reason.code).toBe('tps_inactive')
    expect(desk.store.refusalsForTps(tps)).toEqual([
      expect.objectContaining({
        submissionId: body.submissionId,
        status: 409,
        code: 'tps_inactive',
      }),
    ])
  })
})
