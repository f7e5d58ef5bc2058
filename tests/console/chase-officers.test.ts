import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESA_A, DESA_B, DESA_C, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// Belum lapor is about TPS not yet reported and whom to call for each desa: a kecamatan officer is
// the second person to call for every desa of the kecamatan, and the first for a desa without its
// own reporter — never a row of 0% for the whole kecamatan.
describe('chase list with kecamatan officers', () => {
  let desk: TestDesk
  const ids: Record<string, { id: string; accessCode: string }> = {}

  beforeAll(async () => {
    desk = await startDesk()
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 1, 300))
    const mk = async (name: string, role: string, region?: string, phone = '0812-0000-0000') =>
      (ids[name] = (
        await desk.call('POST', '/users', { name, phone, role, ...(region ? { region } : {}) })
      ).body)
    await mk('Ani', 'reporter', DESA_A, '0813-1111-2222')
    await mk('Camat Jombang', 'reporter', '35.09.01', '0811-3000-4000')
    await mk('Op', 'operator')
  })

  afterAll(async () => {
    await desk?.stop()
  })

  const chase = async () =>
    (await desk.call('GET', '/console/chase', undefined, ids.Op!.accessCode)).body

  it('names the officer under each desa of the kecamatan, and as the one to call where a desa has no reporter', async () => {
    const c = await chase()
    expect(
      c.rows.map((r: any) => [
        r.desa,
        r.reporter.name,
        r.reporter.level,
        r.alsoCall.map((o: any) => `${o.name} ${o.phone}`),
      ]),
    ).toEqual([
      [DESA_A, 'Ani', 'desa', ['Camat Jombang 0811-3000-4000']],
      [DESA_B, 'Camat Jombang', 'kecamatan', []],
    ])
    expect(new Set(c.rows.map((r: any) => r.key)).size).toBe(2)
    // Nobody at all for Kaliwates' desa: listed to find someone.
    expect(c.unassigned.map((u: any) => u.code)).toEqual([DESA_C])
    expect(c.rows[0].contests.gubernur).toEqual({ expected: 1, reported: 0 })
  })

  it('logs a call to the officer against the officer, shown on the rows they are second for', async () => {
    const call = await desk.call(
      'POST',
      `/console/chase/${ids['Camat Jombang']!.id}/calls`,
      { outcome: 'reached', note: 'Menuju Padomasan' },
      ids.Op!.accessCode,
    )
    expect(call.status).toBe(201)
    const c = await chase()
    const ani = c.rows.find((r: any) => r.desa === DESA_A)
    expect(ani.lastCall).toBeNull()
    expect(ani.alsoCall[0].lastCall).toMatchObject({ outcome: 'reached', note: 'Menuju Padomasan' })
  })

  it('drops a desa once its TPS are in, whoever sent them', async () => {
    for (const contest of ['gubernur', 'bupati']) {
      const votes = contest === 'gubernur' ? { '1': 50, '2': 40, '3': 30 } : { '1': 60, '2': 60 }
      const r = await desk.call(
        'POST',
        '/results',
        { submissionId: sid(), tps: `${DESA_B}.001`, contest, votes, invalid: 4 },
        ids['Camat Jombang']!.accessCode,
      )
      expect(r.status).toBe(201)
    }
    const c = await chase()
    expect(c.rows.map((r: any) => r.desa)).toEqual([DESA_A])
  })
})
