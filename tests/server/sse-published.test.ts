import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { HeldDurability } from '../helpers/held-durability'
import { openSse } from '../helpers/sse'

// A batch is committed (its events are in the table) before its WAL sync, and published on the bus
// only after it. These tests hold the sync and open streams in between (review of issue 13).

const desks: TestDesk[] = []
const disks: HeldDurability[] = []
afterEach(async () => {
  for (const d of disks.splice(0)) d.release()
  while (desks.length) await desks.pop()!.stop()
})

async function deskWithHeldDisk() {
  const disk = new HeldDurability()
  disks.push(disk)
  const desk = await startDesk({ durability: disk })
  desks.push(desk)
  await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 5, 300))
  return { desk, disk }
}

const result = (n: number) => ({
  submissionId: sid(),
  tps: `${DESA_A}.${String(n).padStart(3, '0')}`,
  contest: 'bupati',
  votes: { '1': 100 + n, '2': 90 },
  invalid: 3,
})

const acceptedTps = (messages: { event?: string; data?: string }[]) =>
  messages
    .filter((m) => m.event === 'result.accepted')
    .map((m) => (JSON.parse(m.data!) as { data: { tps: string } }).data.tps)

/** Posts a result while the disk is held; resolves once its batch is committed and syncing. */
async function postWhileSyncing(desk: TestDesk, disk: HeldDurability, n: number) {
  const before = desk.store.lastEventId()
  disk.hold()
  let answered = false
  const answer = desk.call('POST', '/results', result(n)).then((r) => {
    answered = true
    return r
  })
  await expect.poll(() => disk.pending, { timeout: 10_000 }).toBe(1)
  expect(desk.store.lastEventId()).toBeGreaterThan(before)
  return { answer, answered: () => answered, before }
}

describe('event streams and batches still syncing', () => {
  it('a stream opened during the sync gets the batch once it is out, exactly once', async () => {
    const { desk, disk } = await deskWithHeldDisk()
    const { answer, before } = await postWhileSyncing(desk, disk, 1)
    expect(desk.service.publishedEventId()).toBe(before)

    // Opened as the console and recap screens open theirs: without an id.
    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN)
    await sse.until((m) => m.some((x) => x.event === 'ready'))
    const ready = JSON.parse(sse.messages.find((x) => x.event === 'ready')!.data!)
    // It starts from the last published event, not from the committed one still syncing.
    expect(ready).toEqual({ lastEventId: before, reset: false })
    expect(acceptedTps(sse.messages)).toEqual([])

    disk.release()
    expect((await answer).status).toBe(201)
    await sse.until((m) => acceptedTps(m).length === 1)
    expect(desk.service.publishedEventId()).toBe(desk.store.lastEventId())
    // A later report too, and nothing twice.
    expect((await desk.call('POST', '/results', result(2))).status).toBe(201)
    await sse.until((m) => acceptedTps(m).length === 2)
    expect(acceptedTps(sse.messages)).toEqual([`${DESA_A}.001`, `${DESA_A}.002`])
    await sse.close()
  })

  it('a replaying stream is sent nothing of the batch before its sender is answered', async () => {
    const { desk, disk } = await deskWithHeldDisk()
    const { answer, answered, before } = await postWhileSyncing(desk, disk, 1)

    // Resuming from before the batch: the replay stops at the last published event.
    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, before)
    await sse.until((m) => m.some((x) => x.event === 'ready'))
    expect(JSON.parse(sse.messages.find((x) => x.event === 'ready')!.data!)).toEqual({
      lastEventId: before,
      reset: false,
    })
    expect(acceptedTps(sse.messages)).toEqual([])
    expect(answered()).toBe(false)

    disk.release()
    expect((await answer).status).toBe(201)
    await sse.until((m) => acceptedTps(m).length === 1)
    expect(acceptedTps(sse.messages)).toEqual([`${DESA_A}.001`])
    await sse.close()
  })

  it('a replay of many pages ends at the published event; the batch syncing comes after, from the bus', async () => {
    const disk = new HeldDurability()
    disks.push(disk)
    const desk = await startDesk({ durability: disk, sseLimits: { pageSize: 2 } })
    desks.push(desk)
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 9, 300))
    const from = desk.store.lastEventId()
    for (let n = 1; n <= 5; n++)
      expect((await desk.call('POST', '/results', result(n))).status).toBe(201)
    const { answer } = await postWhileSyncing(desk, disk, 6)

    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, from)
    await sse.until((m) => m.some((x) => x.event === 'ready'))
    expect(acceptedTps(sse.messages)).toEqual([1, 2, 3, 4, 5].map((n) => `${DESA_A}.00${n}`))
    disk.release()
    await answer
    await sse.until((m) => acceptedTps(m).length === 6)
    expect(acceptedTps(sse.messages).at(-1)).toBe(`${DESA_A}.006`)
    await sse.close()
  })

  it('a board that read its summary during the sync resumes from it: not told to start over, nothing twice', async () => {
    const { desk, disk } = await deskWithHeldDisk()
    const { answer } = await postWhileSyncing(desk, disk, 1)
    // The summary reads committed state: it already shows the batch and carries its id.
    const summary = (await desk.call('GET', '/board/summary')).body as { lastEventId: number }
    expect(summary.lastEventId).toBe(desk.store.lastEventId())

    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, summary.lastEventId)
    await sse.until((m) => m.some((x) => x.event === 'ready'))
    expect(JSON.parse(sse.messages.find((x) => x.event === 'ready')!.data!)).toEqual({
      lastEventId: summary.lastEventId,
      reset: false,
    })
    disk.release()
    await answer
    expect((await desk.call('POST', '/results', result(2))).status).toBe(201)
    await sse.until((m) => acceptedTps(m).length >= 1)
    expect(acceptedTps(sse.messages)).toEqual([`${DESA_A}.002`])
    await sse.close()
  })
})
