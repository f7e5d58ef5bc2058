// The phone's outbox (src/renderer/lapor/outbox.ts) in Node: IndexedDB from fake-indexeddb (a
// fresh database per test; a second Outbox on it is the page after a reload), the desk a scripted
// fetch, the phone's clock Date faked. What is checked is what a reporter or the desk would notice:
// nothing acknowledged is lost or counted twice, refusals stay visible and are not resent, and the
// phone does not hammer a desk that cannot answer.

import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  canRetry,
  Outbox,
  refusedPhotoId,
  type OutboxItem,
  type OutboxState,
} from '../../src/renderer/lapor/outbox'

const CODE = 'K7PQ-M2XD-9RTA'
const START = Date.parse('2024-11-27T07:00:00Z')

interface DeskRequest {
  method: string
  path: string
  body: unknown
  authorization: string | null
  channel: string | null
}

/** 'offline': no answer at all; 'lost': the desk handles the request but its answer never arrives. */
type Reply = Response | 'offline' | 'lost'

/** A desk behind fetch: answers like the real one unless a test says otherwise for a path. */
class FakeDesk {
  readonly requests: DeskRequest[] = []
  offline = false
  /** Per "METHOD /path" (query left out): the next answers, used up in order. */
  private readonly scripted = new Map<string, ((r: DeskRequest) => Reply)[]>()
  private readonly submissions = new Map<string, { body: string; answer: unknown }>()
  private incidents = 0
  photoQuotaFull = false
  readonly photos: string[] = []
  readonly links: { incident: number; photo: string }[] = []

  script(key: string, ...answers: ((r: DeskRequest) => Reply)[]): void {
    this.scripted.set(key, [...(this.scripted.get(key) ?? []), ...answers])
  }

  count(key: string): number {
    return this.requests.filter((r) => `${r.method} ${r.path.split('?')[0]}` === key).length
  }

  readonly fetch = async (
    input: string | URL | Request,
    init: RequestInit = {},
  ): Promise<Response> => {
    const url = String(input)
    const headers = new Headers(init.headers)
    const raw = init.body
    const body = raw instanceof Blob ? raw : typeof raw === 'string' ? JSON.parse(raw) : null
    const req: DeskRequest = {
      method: init.method ?? 'GET',
      path: url.replace(/^\/api\/v1/, ''),
      body,
      authorization: headers.get('Authorization'),
      channel: headers.get('X-Desk-Channel'),
    }
    this.requests.push(req)
    if (this.offline) throw new TypeError('Failed to fetch')
    const key = `${req.method} ${req.path.split('?')[0]}`
    const next = this.scripted.get(key)?.shift()
    const reply = next ? next(req) : this.answer(req)
    if (reply === 'lost') this.answer(req)
    if (reply === 'offline' || reply === 'lost') throw new TypeError('Failed to fetch')
    return reply
  }

  private answer(req: DeskRequest): Response {
    if (req.method === 'POST' && (req.path === '/results' || req.path === '/incidents')) {
      const b = req.body as { submissionId: string }
      const seen = this.submissions.get(b.submissionId)
      if (seen) {
        if (seen.body !== JSON.stringify(b))
          return error(409, 'submission_mismatch', 'Isi berbeda dengan kiriman pertama')
        return json(200, {
          ...(seen.answer as object),
          status: 'duplicate',
          replayOf: (seen.answer as { status: string }).status,
        })
      }
      const answer =
        req.path === '/results'
          ? { status: 'accepted', receipt: `R-${this.submissions.size + 1}`, warnings: [] }
          : { id: ++this.incidents, status: 'created' }
      this.submissions.set(b.submissionId, { body: JSON.stringify(b), answer })
      return json(201, answer)
    }
    if (req.method === 'POST' && req.path.startsWith('/photos?')) {
      if (this.photoQuotaFull)
        return error(
          413,
          'photo_quota',
          'Kuota foto penuh: sudah 1 foto Anda untuk TPS 003, paling banyak 1.',
        )
      const photo = `foto-${this.photos.length + 1}.jpg`
      this.photos.push(photo)
      return json(201, { photo })
    }
    const link = /^\/incidents\/(\d+)\/photo$/.exec(req.path)
    if (req.method === 'POST' && link) {
      // Idempotent, as on the desk: linking the same photo again changes nothing.
      const entry = { incident: Number(link[1]), photo: (req.body as { photo: string }).photo }
      if (!this.links.some((l) => l.incident === entry.incident && l.photo === entry.photo))
        this.links.push(entry)
      return json(200, { ok: true })
    }
    return error(404, 'not_found', 'Tidak ditemukan')
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

function error(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error: { code, message } }, headers)
}

/** Resolves once the outbox is not sending (add() starts a send without waiting for it). */
function idle(outbox: Outbox): Promise<OutboxState> {
  return new Promise((resolve) => {
    let done = false
    const off = outbox.subscribe((s) => {
      if (done || s.sending) return
      done = true
      queueMicrotask(() => off())
      resolve(s)
    })
  })
}

/** The same phone after a reload: a new Outbox on the same IndexedDB. */
async function reopen(owner = 'u1'): Promise<Outbox> {
  const outbox = new Outbox(owner)
  await outbox.load()
  return outbox
}

function result(id: string, tps = '35.09.01.2001.001'): Parameters<Outbox['add']>[0] {
  return {
    id,
    kind: 'result',
    label: `Gubernur · TPS ${tps.slice(-3)}`,
    tps,
    contest: 'gubernur',
    body: {
      submissionId: id,
      tps,
      contest: 'gubernur',
      votes: { '1': 10, '2': 20, '3': 30 },
      invalid: 1,
    },
  }
}

function incident(id: string, photo?: Blob): Parameters<Outbox['add']>[0] {
  return {
    id,
    kind: 'incident',
    label: 'Kejadian keamanan · TPS 003 Padomasan',
    tps: '35.09.01.2001.003',
    body: {
      submissionId: id,
      tps: '35.09.01.2001.003',
      category: 'keamanan',
      urgency: 'tinggi',
      text: 'Massa berkumpul',
    },
    ...(photo ? { blob: photo, query: 'tps=35.09.01.2001.003' } : {}),
  }
}

const jpeg = (n: number) =>
  new Blob([new Uint8Array([0xff, 0xd8, 0xff, n])], { type: 'image/jpeg' })

let desk: FakeDesk

beforeEach(() => {
  desk = new FakeDesk()
  const kept = new Map<string, string>([['lapor.code', CODE]])
  vi.stubGlobal('indexedDB', new IDBFactory())
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => kept.get(k) ?? null,
    setItem: (k: string, v: string) => void kept.set(k, v),
    removeItem: (k: string) => void kept.delete(k),
  })
  vi.stubGlobal('fetch', desk.fetch)
  // Only Date: IndexedDB's callbacks and fetch's timeout keep real timers.
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(START)
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the phone outbox', () => {
  it('keeps a report on the phone before sending, across a reload, and sends it once the desk answers', async () => {
    desk.offline = true
    const phone = await reopen()
    await phone.add(result('r-1'))
    let state = await idle(phone)
    expect(desk.count('POST /results')).toBe(1)
    expect(state.reachable).toBe(false)
    expect(state.persistent).toBe(true)
    expect(state.lastProblem).toMatch(/Belum tersambung ke desk/)
    expect(state.waiting).toEqual([
      expect.objectContaining({ id: 'r-1', state: 'waiting', attempts: 1, nextAt: START + 3_000 }),
    ])

    // The browser is closed and opened again: the report is still there, and goes out with the same submissionId.
    const after = await reopen()
    expect(after.current.waiting.map((i) => i.id)).toEqual(['r-1'])
    desk.offline = false
    await after.flush(true)
    state = after.current
    expect(state.waiting).toEqual([])
    expect(state.reachable).toBe(true)
    expect(state.sent).toEqual([
      expect.objectContaining({
        id: 'r-1',
        kind: 'result',
        outcome: 'accepted',
        receipt: 'R-1',
        warnings: [],
      }),
    ])
    const posts = desk.requests.filter((r) => r.path === '/results')
    expect(posts.map((r) => (r.body as { submissionId: string }).submissionId)).toEqual([
      'r-1',
      'r-1',
    ])
    expect(posts[1]!.authorization).toBe(`Bearer ${CODE}`)
    expect(posts[1]!.channel).toBe('web')

    // Acknowledged means gone from the outbox for good, and kept in the sent list.
    const third = await reopen()
    expect(third.current.waiting).toEqual([])
    expect(third.current.sent.map((s) => s.receipt)).toEqual(['R-1'])
  })

  it('resends exactly the same report after a lost answer, and shows the first outcome', async () => {
    // The desk stores the report, but its answer never reaches the phone.
    desk.script('POST /results', () => 'lost')
    const phone = await reopen()
    await phone.add(result('r-2'))
    await idle(phone)
    expect(phone.current.waiting).toHaveLength(1)
    await phone.flush(true)
    const [first, second] = desk.requests.filter((r) => r.path === '/results')
    expect(second!.body).toEqual(first!.body)
    expect(phone.current.sent).toEqual([
      expect.objectContaining({ id: 'r-2', outcome: 'accepted', receipt: 'R-1' }),
    ])
  })

  it('waits longer after each failure, honours Retry-After, and sends nothing early unless asked', async () => {
    desk.offline = true
    const phone = await reopen()
    await phone.add(result('r-3'))
    await idle(phone)
    const nextAt = () => phone.current.waiting[0]!.nextAt - Date.now()
    expect(nextAt()).toBe(3_000)

    // The timer's flush before the item is due sends nothing.
    vi.setSystemTime(START + 2_999)
    await phone.flush()
    expect(desk.count('POST /results')).toBe(1)

    const delays = [3_000]
    for (let i = 0; i < 7; i++) {
      vi.setSystemTime(phone.current.waiting[0]!.nextAt)
      await phone.flush()
      delays.push(nextAt())
    }
    expect(delays).toEqual([3_000, 5_000, 10_000, 20_000, 30_000, 60_000, 60_000, 60_000])
    expect(desk.count('POST /results')).toBe(8)

    // A busy desk says when to come back.
    desk.offline = false
    desk.script('POST /results', () =>
      error(429, 'rate_limited', 'Terlalu banyak permintaan', { 'Retry-After': '42' }),
    )
    await phone.flush(true)
    expect(nextAt()).toBe(42_000)
    expect(phone.current.waiting[0]).toMatchObject({
      state: 'waiting',
      lastError: 'Terlalu banyak permintaan',
    })
    expect(phone.current.reachable).toBe(true)
  })

  it('keeps a report the desk refuses for good, with its message, and never resends it', async () => {
    desk.script('POST /results', () => error(400, 'invalid_sheet', 'Suara paslon 2 wajib diisi'))
    const phone = await reopen()
    await phone.add(result('r-4'))
    await idle(phone)
    const [item] = phone.current.waiting
    expect(item).toMatchObject({
      id: 'r-4',
      state: 'failed',
      attempts: 1,
      lastError: 'Suara paslon 2 wajib diisi',
      lastCode: 'invalid_sheet',
    })
    expect(canRetry(item!)).toBe(false)
    vi.setSystemTime(START + 3_600_000)
    await phone.flush()
    await phone.flush(true)
    expect(desk.count('POST /results')).toBe(1)
    // Still there after a reload, still refused.
    expect((await reopen()).current.waiting).toEqual([
      expect.objectContaining({ id: 'r-4', state: 'failed' }),
    ])
    // The reporter may remove it.
    await phone.remove('r-4')
    expect(phone.current.waiting).toEqual([])
    expect((await reopen()).current.waiting).toEqual([])
  })

  it('sends results before incidents before photos, and stops at the first sign the desk is unreachable', async () => {
    desk.offline = true
    const phone = await reopen()
    await phone.add({
      id: 'p-1',
      kind: 'photo',
      label: 'Foto C.Hasil',
      tps: '35.09.01.2001.001',
      contest: 'gubernur',
      blob: jpeg(1),
      query: 'tps=35.09.01.2001.001&contest=gubernur',
    })
    await idle(phone)
    vi.setSystemTime(START + 1)
    await phone.add(incident('k-1'))
    await idle(phone)
    vi.setSystemTime(START + 2)
    await phone.add(result('r-5'))
    await idle(phone)
    // Each add tried its own item first and stopped there: one request each.
    expect(desk.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/photos',
      '/incidents',
      '/results',
    ])

    desk.requests.length = 0
    await phone.flush(true)
    expect(desk.requests).toHaveLength(1) // still unreachable: the others are not tried
    expect(desk.requests[0]!.path).toBe('/results')

    desk.requests.length = 0
    desk.offline = false
    await phone.flush(true)
    expect(desk.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/results',
      '/incidents',
      '/photos',
    ])
    expect(phone.current.waiting).toEqual([])
    expect(phone.current.sent.map((s) => s.id)).toEqual(['p-1', 'k-1', 'r-5'])
  })

  it("does not send another reporter's reports while this one is signed in", async () => {
    desk.offline = true
    const siti = await reopen('siti')
    await siti.add(result('r-siti'))
    await idle(siti)
    desk.offline = false
    desk.requests.length = 0

    const budi = await reopen('budi')
    expect(budi.current).toMatchObject({ waiting: [], others: 1 })
    await budi.add(result('r-budi', '35.09.01.2001.002'))
    await idle(budi)
    await budi.flush(true)
    expect(desk.requests.map((r) => (r.body as { submissionId: string }).submissionId)).toEqual([
      'r-budi',
    ])
    expect(budi.current.sent.map((s) => s.id)).toEqual(['r-budi'])

    const sitiAgain = await reopen('siti')
    expect(sitiAgain.current.waiting.map((i) => i.id)).toEqual(['r-siti'])
    expect(sitiAgain.current.sent).toEqual([])
  })

  it('delivers an incident without the photo the desk will not keep, then joins the photo to it once the quota is raised', async () => {
    desk.photoQuotaFull = true
    const phone = await reopen()
    await phone.add(incident('k-2', jpeg(2)))
    await idle(phone)

    // The text went through without a photo; the photo stays on the phone, refused, with the desk's message.
    expect(desk.count('POST /photos')).toBe(1)
    const sentIncident = desk.requests.find((r) => r.path === '/incidents')!
    expect(sentIncident.body).not.toHaveProperty('photo')
    const [record] = phone.current.sent
    expect(record).toMatchObject({
      id: 'k-2',
      outcome: 'created',
      receipt: '#1',
      incidentId: 1,
      photoRefused: expect.stringMatching(/^Kuota foto penuh/),
    })
    const aside = phone.current.waiting
    expect(aside).toEqual([
      expect.objectContaining({
        id: refusedPhotoId('k-2'),
        kind: 'photo',
        state: 'failed',
        lastCode: 'photo_quota',
        forIncident: 'k-2',
        incidentId: 1,
      }),
    ])
    expect(aside[0]!.label).toBe('Foto kejadian keamanan · TPS 003 Padomasan')
    expect(canRetry(aside[0]!)).toBe(true)

    // Not resent by itself, however much time passes.
    vi.setSystemTime(START + 3_600_000)
    await phone.flush()
    await phone.flush(true)
    expect(desk.count('POST /photos')).toBe(1)

    // Asked again while the quota is still full: one try, still refused.
    await phone.retry(refusedPhotoId('k-2'))
    expect(desk.count('POST /photos')).toBe(2)
    expect(phone.current.waiting[0]).toMatchObject({ state: 'failed', attempts: 2 })

    // The desk raises the quota; the linking answer is lost once: the photo is not uploaded again.
    desk.photoQuotaFull = false
    desk.script('POST /incidents/1/photo', () => 'lost')
    await phone.retry(refusedPhotoId('k-2'))
    expect(phone.current.waiting[0]).toMatchObject({ state: 'waiting', photoFile: 'foto-1.jpg' })
    await phone.flush(true)
    expect(desk.count('POST /photos')).toBe(3)
    expect(desk.count('POST /incidents/1/photo')).toBe(2)
    expect(desk.links).toEqual([{ incident: 1, photo: 'foto-1.jpg' }])
    expect(phone.current.waiting).toEqual([])
    expect(phone.current.sent.find((s) => s.id === 'k-2')).toMatchObject({ photoAttached: true })
    expect(phone.current.sent.find((s) => s.id === refusedPhotoId('k-2'))).toMatchObject({
      outcome: 'attached',
      receipt: '#1',
    })
    // And so it stays after a reload.
    expect((await reopen()).current.sent.find((s) => s.id === 'k-2')).toMatchObject({
      photoAttached: true,
    })
  })

  it('keeps every report of the night with its receipt (for a failover), but only the 50 newest photos', async () => {
    const phone = await reopen()
    for (let i = 1; i <= 52; i++) {
      vi.setSystemTime(START + i * 1_000)
      await phone.add(result(`r-${i}`, `35.09.01.2001.${String(i).padStart(3, '0')}`))
      await phone.add({
        id: `p-${i}`,
        kind: 'photo',
        label: 'Foto C.Hasil',
        tps: '35.09.01.2001.001',
        contest: 'gubernur',
        blob: jpeg(i),
        query: 'tps=35.09.01.2001.001&contest=gubernur',
      })
      await idle(phone)
    }
    const sent = (await reopen()).current.sent
    const results = sent.filter((x) => x.kind === 'result').map((x) => x.id)
    const photos = sent.filter((x) => x.kind === 'photo').map((x) => x.id)
    // Results are what a restored desk may lack: all of them stay, each with its receipt.
    expect(results).toHaveLength(52)
    expect(results).toContain('r-1')
    expect(photos).toHaveLength(50)
    expect(photos).toContain('p-52')
    expect(photos).not.toContain('p-1')
    expect(photos).not.toContain('p-2')
  })

  it('still works, and says so, where the browser gives no IndexedDB (some private modes)', async () => {
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('IndexedDB tidak tersedia', 'InvalidStateError')
      },
    })
    desk.offline = true
    const phone = await reopen()
    expect(phone.current.persistent).toBe(false)
    await phone.add(result('r-mem'))
    await idle(phone)
    expect(phone.current.waiting.map((i: OutboxItem) => i.id)).toEqual(['r-mem'])
    desk.offline = false
    await phone.flush(true)
    expect(phone.current.sent.map((s) => s.id)).toEqual(['r-mem'])
  })
})
