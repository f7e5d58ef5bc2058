import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RefusalBudget, keptPayload, MAX_KEPT_PAYLOAD } from '../../src/service/desk-service'
import { scanJson } from '../../src/server/json-body'
import { canonicalJson, sha256 } from '../../src/store/store'
import { DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

const TPS = `${DESA_A}.001`

/** Raw POST /results (the body as typed, not re-serialised). */
async function postRaw(desk: TestDesk, token: string, text: string) {
  const res = await fetch(`${desk.url}/api/v1/results`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: text,
  })
  return { status: res.status, body: (await res.json()) as any }
}

function refusals(desk: TestDesk): { payload: string; hash: string; contest: string }[] {
  const db = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
  try {
    return db.prepare('SELECT payload, hash, contest FROM refusals ORDER BY id').all() as never
  } finally {
    db.close()
  }
}

describe('the edge bounds what a body may hold (issue 13, findings 3–5)', () => {
  let desk: TestDesk
  let reporter: string

  beforeAll(async () => {
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 2, 300))).status).toBe(200)
    reporter = (
      await desk.call('POST', '/users', { name: 'Pelapor', role: 'reporter', region: DESA_A })
    ).body.accessCode
  })
  afterAll(() => desk.stop())

  it('refuses a 255,000-character vote at the edge, naming the field, and keeps nothing of it', async () => {
    const before = refusals(desk).length
    const body = {
      submissionId: sid(),
      tps: TPS,
      contest: 'bupati',
      votes: { '1': 'x'.repeat(255_000), '2': 10 },
      invalid: 1,
    }
    const r = await postRaw(desk, reporter, JSON.stringify(body))
    expect(r.status).toBe(400)
    expect(r.body.error.fields['votes.1']).toMatch(/Suara paslon harus angka/)
    expect(refusals(desk).length).toBe(before)
  })

  it('takes votes typed as digits (a form field) as the same numbers', async () => {
    const body = {
      submissionId: sid(),
      tps: TPS,
      contest: 'gubernur',
      votes: { '1': '100', '2': '50', '3': 7 },
      invalid: '3',
    }
    const r = await postRaw(desk, reporter, JSON.stringify(body))
    expect(r.status).toBe(201)
    const tps = await desk.call('GET', `/tps/${TPS}`)
    expect(tps.body.results.find((x: any) => x.contest === 'gubernur')).toMatchObject({
      votes: { '1': 100, '2': 50, '3': 7 },
      invalid: 3,
    })
  })

  it('answers 5,000 nested arrays in votes with 400, not 500', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    const r = await postRaw(
      desk,
      reporter,
      `{"submissionId":"${sid()}","tps":"${TPS}","contest":"bupati","votes":{"1":${deep}},"invalid":0}`,
    )
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('too_deep')
    // Brackets inside a string are text, not nesting.
    const inString = await postRaw(
      desk,
      reporter,
      JSON.stringify({
        submissionId: sid(),
        tps: TPS,
        contest: 'bupati',
        votes: { '1': 1, '2': 2 },
        invalid: 0,
        note: '['.repeat(900),
      }),
    )
    expect(inString.status).not.toBe(400)
    expect((await desk.call('GET', '/health', undefined, null)).status).toBe(200)
  })

  it('canonicalises any depth without overflowing the stack', () => {
    let v: unknown = 1
    for (let i = 0; i < 50_000; i++) v = { a: v }
    expect(canonicalJson(v).length).toBe(50_000 * 6 + 1)
    expect(canonicalJson({ b: [1, { d: 2, c: null }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":2}]}',
    )
  })

  it('refuses a lone UTF-16 surrogate, naming the field, before anything is stored', async () => {
    const before = refusals(desk).length
    const r = await postRaw(
      desk,
      reporter,
      `{"submissionId":"${sid()}","tps":"${TPS}","contest":"\\udc00","votes":{"1":1,"2":2},"invalid":0}`,
    )
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('bad_text')
    expect(r.body.error.fields).toHaveProperty('contest')
    const inKey = await postRaw(
      desk,
      reporter,
      `{"submissionId":"${sid()}","tps":"${TPS}","contest":"bupati","votes":{"1":1,"2":2},"invalid":0,"note":"ok \\ud83d\\ude00 \\ud800"}`,
    )
    expect(inKey.status).toBe(400)
    expect(inKey.body.error.fields).toHaveProperty('note')
    expect(refusals(desk).length).toBe(before)
    // A proper pair (an emoji) is fine.
    const emoji = await postRaw(
      desk,
      reporter,
      `{"submissionId":"${sid()}","tps":"${TPS}","contest":"nope","votes":{"1":1,"2":2},"invalid":0,"note":"\\ud83d\\ude00"}`,
    )
    expect(emoji.status).toBe(404)
    const kept = refusals(desk)
    expect(kept.length).toBe(before + 1)
    expect(kept.at(-1)!.payload).toContain('😀')
  })

  it('finds surrogate escapes in one pass over the raw bytes (only those bodies are walked after parsing)', () => {
    const scan = (text: string) => scanJson(new TextEncoder().encode(text))
    expect(scan('{"a":"\\udc00"}')).toEqual({ depth: 1, surrogateEscape: true })
    expect(scan('{"a":["\\uD800"]}')).toEqual({ depth: 2, surrogateEscape: true })
    expect(scan('{"\\uDBFF":1}').surrogateEscape).toBe(true)
    // An escaped backslash followed by the letters "udc00" is plain text; é and U+E000 are not surrogates.
    expect(scan('{"a":"\\\\udc00","b":"\\u00e9","c":"\\ue000","d":"\\ud7ff"}')).toEqual({
      depth: 1,
      surrogateEscape: false,
    })
    expect(scan('{"a":"😀 é"}').surrogateEscape).toBe(false)
  })

  it('refuses a lone surrogate in a UTF-16 body too (raw code units, no escape)', async () => {
    const before = refusals(desk).length
    const text = `{"submissionId":"${sid()}","tps":"${TPS}","contest":"\udc00","votes":{"1":1,"2":2},"invalid":0}`
    const res = await fetch(`${desk.url}/api/v1/results`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${reporter}`,
        'content-type': 'application/json; charset=utf-16le',
      },
      body: Buffer.from(text, 'utf16le'),
    })
    const body = (await res.json()) as any
    expect(res.status).toBe(400)
    expect(body.error.code).toBe('bad_text')
    expect(body.error.fields).toHaveProperty('contest')
    expect(refusals(desk).length).toBe(before)
  })

  it('keeps at most a few KB of a refused body, with the hash of the whole', () => {
    const whole = canonicalJson({ note: 'n'.repeat(20_000) })
    const kept = keptPayload(whole)
    expect(kept.length).toBeLessThan(MAX_KEPT_PAYLOAD + 100)
    expect(kept).toContain(`${whole.length} karakter`)
    expect(keptPayload('{"a":1}')).toBe('{"a":1}')
    expect(sha256(whole)).not.toBe(sha256(kept))
  })

  it('keeps refusals per sender within a budget, and refills it with time', async () => {
    const budget = new RefusalBudget(3, 10_000)
    expect([0, 1, 2, 3].map(() => budget.take('a', 0))).toEqual([true, true, true, false])
    expect(budget.take('b', 0)).toBe(true)
    expect(budget.take('a', 9_999)).toBe(false)
    expect(budget.take('a', 10_000)).toBe(true)
    expect(budget.take('a', 10_001)).toBe(false)
    expect(budget.take('a', 1_000_000)).toBe(true)

    // Through the API: a sender refused 250 times in a burst leaves 200 rows, every answer the same.
    const before = refusals(desk).length
    const statuses = new Set<number>()
    for (let i = 0; i < 250; i++) {
      const r = await desk.call(
        'POST',
        '/results',
        { submissionId: sid(), tps: TPS, contest: 'tidak-ada', votes: { '1': 1 }, invalid: 0 },
        reporter,
      )
      statuses.add(r.status)
    }
    expect([...statuses]).toEqual([404])
    // The surrogate-pair test above already spent one of this reporter's 200.
    expect(refusals(desk).length - before).toBe(199)
  })
})
