import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Outbox, receiptSeq } from '../../src/renderer/lapor/outbox'

// The phone's side of a failover, without a browser: an outbox (in-memory storage, as where
// IndexedDB is missing) against a fake desk that can be swapped for a restored copy.

interface FakeDesk {
  dataFolder: string
  seq: number
  /** submissionId → receipt */
  known: Map<string, string>
  bodies: Map<string, string>
  checks: number
}

function desk(dataFolder: string): FakeDesk {
  return { dataFolder, seq: 0, known: new Map(), bodies: new Map(), checks: 0 }
}

/** A copy of `from` as a backup taken now, restored under another (or the same) folder name. */
function restored(from: FakeDesk, dataFolder: string): FakeDesk {
  return {
    dataFolder,
    seq: from.seq,
    known: new Map(from.known),
    bodies: new Map(from.bodies),
    checks: 0,
  }
}

let current: FakeDesk
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

beforeEach(() => {
  const store = new Map<string, string>()
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    },
    fetch: async (url: string, init: RequestInit) => {
      const body = init.body ? JSON.parse(String(init.body)) : null
      if (url === '/api/v1/desk/identity')
        return json(200, {
          dataFolder: current.dataFolder,
          startedAt: '',
          holds: { submissions: current.seq, lastSeq: current.seq, lastAt: null },
        })
      if (url === '/api/v1/receipts/check') {
        current.checks++
        const ids = body.submissionIds as string[]
        return json(200, {
          dataFolder: current.dataFolder,
          known: ids
            .filter((i) => current.known.has(i))
            .map((i) => ({ submissionId: i, receipt: current.known.get(i) })),
          unknown: ids.filter((i) => !current.known.has(i)),
        })
      }
      if (url === '/api/v1/incidents') {
        const id = body.submissionId as string
        current.seq++
        if (!current.known.has(id)) current.known.set(id, `#${current.seq}`)
        current.bodies.set(id, String(init.body))
        return json(201, { id: current.seq, status: 'created' })
      }
      if (url === '/api/v1/results') {
        const id = body.submissionId as string
        if (current.known.has(id))
          return json(200, {
            status: 'duplicate',
            replayOf: 'accepted',
            receipt: current.known.get(id),
            warnings: [],
          })
        current.seq++
        const receipt = `${String(current.seq).padStart(6, '0')}-${current.dataFolder.slice(0, 4).toUpperCase()}`
        current.known.set(id, receipt)
        current.bodies.set(id, String(init.body))
        return json(201, { status: 'accepted', receipt, warnings: [] })
      }
      return json(404, { error: { code: 'not_found', message: 'no' } })
    },
  })
})
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage
})

async function settled(outbox: Outbox): Promise<void> {
  for (let i = 0; i < 200 && (outbox.current.waiting.length > 0 || outbox.current.sending); i++)
    await new Promise((r) => setTimeout(r, 5))
  expect(outbox.current.waiting).toEqual([])
}

async function send(outbox: Outbox, id: string, tps: string): Promise<void> {
  await outbox.add({
    id,
    kind: 'result',
    label: tps,
    tps,
    contest: 'bupati',
    body: { submissionId: id, tps, contest: 'bupati', votes: { '1': 1, '2': 2 }, invalid: 0 },
  })
  await settled(outbox)
}

describe('the phone outbox after a failover', () => {
  it('reads the sequence number of a receipt', () => {
    expect(receiptSeq('000123-AB12')).toBe(123)
    expect(receiptSeq('#12')).toBe(0)
    expect(receiptSeq(undefined)).toBe(0)
  })

  it('checks its receipts once per page, then only when the desk changed; resends what a restored desk lacks', async () => {
    current = desk('aaaa-primary')
    const outbox = new Outbox('u1')
    await outbox.load()
    await send(outbox, 's1', 'T1')
    expect(await outbox.reconcile()).toBe(0)
    expect(current.checks).toBe(1)
    await send(outbox, 's2', 'T2')
    // The same desk, holding more: nothing to check.
    expect(await outbox.reconcile()).toBe(0)
    expect(current.checks).toBe(1)

    const backup = restored(current, 'bbbb-standby') // taken before s3
    await send(outbox, 's3', 'T3')
    const lostReceipt = current.known.get('s3')
    const primaryBody = current.bodies.get('s3')
    current = backup
    expect(await outbox.reconcile()).toBe(1)
    await settled(outbox)
    expect(current.checks).toBe(1)
    expect([...current.known.keys()]).toEqual(['s1', 's2', 's3'])
    // The very same body under the same submissionId: the desk counts it once.
    expect(current.bodies.get('s3')).toBe(primaryBody)
    const s3 = outbox.current.sent.find((s) => s.id === 's3')!
    expect(s3.earlier).toEqual([expect.objectContaining({ receipt: lostReceipt })])
    expect(outbox.current.sent).toHaveLength(3)
  })

  it('resends an incident a restored desk lacks, without the photo that went to the lost desk', async () => {
    current = desk('eeee-primary')
    const outbox = new Outbox('u4')
    await outbox.load()
    await outbox.reconcile()
    const backup = restored(current, 'ffff-standby')
    const photo = `${'a'.repeat(64)}.jpg`
    await outbox.add({
      id: 'k1',
      kind: 'incident',
      label: 'Kejadian',
      body: {
        submissionId: 'k1',
        region: 'D',
        category: 'logistik',
        urgency: 'tinggi',
        text: 'Kotak suara rusak',
        photo,
      },
    })
    await settled(outbox)
    current = backup
    expect(await outbox.reconcile()).toBe(1)
    await settled(outbox)
    expect(JSON.parse(current.bodies.get('k1')!)).toEqual({
      submissionId: 'k1',
      region: 'D',
      category: 'logistik',
      urgency: 'tinggi',
      text: 'Kotak suara rusak',
    })
    const sent = outbox.current.sent.find((s) => s.id === 'k1')!
    expect(sent.photoRefused).toMatch(/tanpa foto/)
    expect(sent.earlier).toHaveLength(1)
  })

  it('notices the same folder put back in time (fewer reports than it acknowledged to this phone)', async () => {
    current = desk('cccc-primary')
    const outbox = new Outbox('u2')
    await outbox.load()
    await send(outbox, 'r1', 'T1')
    await outbox.reconcile()
    const backup = restored(current, 'cccc-primary') // a whole-folder copy: same identity
    await send(outbox, 'r2', 'T2')
    await send(outbox, 'r3', 'T3')
    current = backup
    expect(await outbox.reconcile()).toBe(2)
    await settled(outbox)
    expect([...current.known.keys()]).toEqual(['r1', 'r2', 'r3'])
  })
})
