import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHELL_DISPLAY_NAME } from '../../src/host/desk'
import { startDesk, type TestDesk } from '../helpers/desk'

describe("the desktop app's board window session", () => {
  let desk: TestDesk
  beforeAll(async () => {
    desk = await startDesk()
  })
  afterAll(() => desk.stop())

  it('is a display account: it reads the board and nothing an admin may', async () => {
    const code = await desk.shellDisplayCode()
    expect(code).not.toBe(desk.adminToken)
    expect((await desk.call('GET', '/board/summary', undefined, code)).status).toBe(200)
    for (const [method, path] of [
      ['GET', '/users'],
      ['POST', '/users'],
      ['POST', '/tps/import'],
      ['PUT', '/config'],
    ] as const) {
      expect(
        (await desk.call(method, path, method === 'GET' ? undefined : {}, code)).status,
        `${method} ${path}`,
      ).toBe(403)
    }
    const users = await desk.call('GET', '/users')
    expect(users.body.users.filter((u: { name: string }) => u.name === SHELL_DISPLAY_NAME)).toEqual(
      [expect.objectContaining({ role: 'display' })],
    )
  })

  it('is reissued for each new board window: one account, only the newest code works', async () => {
    const first = await desk.shellDisplayCode()
    expect((await desk.call('GET', '/board/summary', undefined, first)).status).toBe(200)
    const second = await desk.shellDisplayCode()
    expect((await desk.call('GET', '/board/summary', undefined, first)).status).toBe(401)
    expect((await desk.call('GET', '/board/summary', undefined, second)).status).toBe(200)
    const users = await desk.call('GET', '/users')
    expect(
      users.body.users.filter((u: { name: string }) => u.name === SHELL_DISPLAY_NAME),
    ).toHaveLength(1)
  })

  it('counts reports of the last five minutes for the question asked before the desk stops', async () => {
    expect(desk.service.activity()).toEqual({ recentResults: 0, waiting: 0 })
    await desk.call('POST', '/tps/import', 'kode_desa,nomor_tps,dpt\n35.09.01.2001,1,300\n')
    const sent = await desk.call('POST', '/results', {
      submissionId: 'act-1',
      tps: '35.09.01.2001.001',
      contest: 'bupati',
      votes: { '1': 10, '2': 20 },
      invalid: 1,
    })
    expect(sent.status).toBe(201)
    expect(desk.service.activity().recentResults).toBe(1)
    expect(desk.service.activity(Date.now() + 6 * 60_000).recentResults).toBe(0)
  })
})
