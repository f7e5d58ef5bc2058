import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardSummaryDto } from '../../src/shared/board'
import { DESA_A, DESA_C, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { send } from './helpers'

const JOMBANG = '35.09.01' // DESA_A
const KALIWATES = '35.09.19' // DESA_C

describe('conflicts waiting on the board, per kecamatan', () => {
  let desk: TestDesk
  let display: string
  const conflictsOf = async (query = '') => {
    const r = await desk.call<BoardSummaryDto>('GET', `/board/summary${query}`, undefined, display)
    expect(r.status).toBe(200)
    return r.body.conflictsWaiting
  }

  beforeAll(async () => {
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_C], 2, 300))).status).toBe(
      200,
    )
    display = (await desk.call('POST', '/users', { name: 'Layar Ruang Rapat', role: 'display' }))
      .body.accessCode
  })
  afterAll(() => desk.stop())

  it('counts only the kecamatan on show, the whole regency without one', async () => {
    for (const tps of [`${DESA_A}.001`, `${DESA_C}.001`]) {
      await send(desk, tps, 'bupati', 2)
      const second = await send(desk, tps, 'bupati', 2, 9) // other numbers for the same TPS: a conflict
      expect(second.status).toBe(202)
    }
    expect(await conflictsOf()).toBe(2)
    expect(await conflictsOf(`?kecamatan=${JOMBANG}`)).toBe(1)
    expect(await conflictsOf(`?kecamatan=${KALIWATES}`)).toBe(1)
    // A kecamatan without any conflict.
    expect(await conflictsOf('?kecamatan=35.09.02')).toBe(0)
    // A second conflict in Jombang moves Jombang only.
    await send(desk, `${DESA_A}.002`, 'bupati', 2)
    await send(desk, `${DESA_A}.002`, 'bupati', 2, 4)
    expect(await conflictsOf(`?kecamatan=${JOMBANG}`)).toBe(2)
    expect(await conflictsOf(`?kecamatan=${KALIWATES}`)).toBe(1)
    expect(await conflictsOf()).toBe(3)
  })

  it('keeps the rest of the summary the same whether scoped or not', async () => {
    const whole = (await desk.call<BoardSummaryDto>('GET', '/board/summary', undefined, display))
      .body
    const scoped = (
      await desk.call<BoardSummaryDto>(
        'GET',
        `/board/summary?kecamatan=${JOMBANG}`,
        undefined,
        display,
      )
    ).body
    expect({ ...scoped, conflictsWaiting: whole.conflictsWaiting }).toEqual(whole)
    // The regency summary is not changed by a scoped read (it is cached and shared).
    expect(
      (await desk.call<BoardSummaryDto>('GET', '/board/summary', undefined, display)).body
        .conflictsWaiting,
    ).toBe(3)
  })

  it('refuses an unknown kecamatan, naming the parameter', async () => {
    for (const code of ['35.09.99', `${DESA_A}`, '35.10.01', '']) {
      const r = await desk.call('GET', `/board/summary?kecamatan=${code}`, undefined, display)
      expect(r.status).toBe(400)
      expect(r.body.error.fields.kecamatan).toBeTruthy()
    }
  })
})
