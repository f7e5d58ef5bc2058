import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recapAllLevels } from '../../src/domain/recap'
import { DESA_A, DESA_B, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// The recap keeps its per-TPS figures current from committed events instead of re-reading every
// row after each write. Whatever path changes a standing result, the served recap must equal one
// computed afresh from the database.
describe('recap kept current from events', () => {
  let desk: TestDesk
  const send = (tps: string, votes: Record<string, number>, invalid = 5) =>
    desk.call('POST', '/results', { submissionId: sid(), tps, contest: 'bupati', votes, invalid })

  function fresh(level: 'kabupaten' | 'kecamatan' | 'desa' | 'tps') {
    const s = desk.service
    const contest = s.contest('bupati')!
    return recapAllLevels({
      regions: s.regions,
      tps: desk.store.listTps(),
      results: desk.store.recapResults('bupati'),
      candidates: contest.candidates,
    })[level]
  }
  async function expectCurrent() {
    for (const level of ['kabupaten', 'kecamatan', 'desa', 'tps'] as const) {
      const served = (await desk.call('GET', `/recap?contest=bupati&level=${level}`)).body.rows
      expect(served).toEqual(JSON.parse(JSON.stringify(fresh(level))))
    }
  }

  beforeAll(async () => {
    desk = await startDesk()
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B], 4, 300))
  })
  afterAll(() => desk.stop())

  it('after results, a conflict decided for the new sheet, a corrected flag and a postponed TPS', async () => {
    expect((await send(`${DESA_A}.001`, { '1': 100, '2': 90 })).status).toBe(201)
    await expectCurrent() // builds the cache
    expect((await send(`${DESA_A}.002`, { '1': 50, '2': 60 })).status).toBe(201)
    await expectCurrent()
    const conflict = await send(`${DESA_A}.001`, { '1': 120, '2': 70 })
    expect(conflict.status).toBe(202)
    await expectCurrent() // a held conflict changes nothing
    const resolved = await desk.call('POST', `/conflicts/${conflict.body.conflictId}/resolve`, {
      keep: 'new',
      reason: 'Salinan C.Hasil dicek ulang',
    })
    expect(resolved.status).toBe(200)
    await expectCurrent()
    expect(
      (await desk.call('GET', `/recap?contest=bupati&level=desa&parent=35.09.01`)).body.rows.find(
        (r: any) => r.code === DESA_A,
      ).votes,
    ).toEqual({ '1': 170, '2': 130 })
    // a flagged sheet (turnout over DPT) corrected by a supervisor
    expect(
      (await send(`${DESA_B}.001`, { '1': 200, '2': 150 }, 10)).body.warnings.length,
    ).toBeGreaterThan(0)
    const corrected = await desk.call('POST', `/results/${DESA_B}.001/bupati/review`, {
      action: 'correct',
      reason: 'Angka paslon 1 salah baca',
      sheet: { votes: { '1': 100, '2': 150 }, invalid: 10 },
    })
    expect(corrected.status).toBe(200)
    await expectCurrent()
    expect(
      (
        await desk.call('POST', `/tps/${DESA_B}.002/status`, {
          status: 'postponed',
          reason: 'Banjir di lokasi',
        })
      ).status,
    ).toBe(200)
    await expectCurrent()
    // unrelated writes leave the figures as they are
    await desk.call('POST', '/users', { name: 'Operator', role: 'operator' })
    await expectCurrent()
  })
})
