import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AndroidSender, checkAndroidSignature } from '../../src/service/sms-android'

describe('SMS Gateway for Android', () => {
  const body = Buffer.from('{"event":"sms:received","payload":{"message":"K7PQ 3 B 1 2 TS 0"}}')
  const now = Date.parse('2024-11-27T08:00:00Z')
  const ts = String(now / 1000)
  const sign = (key: string, t = ts) =>
    createHmac('sha256', key)
      .update(Buffer.concat([body, Buffer.from(t)]))
      .digest('hex')

  it('checks the webhook signature over the raw body and the timestamp', () => {
    expect(checkAndroidSignature('k', body, ts, sign('k'), now)).toBe('ok')
    expect(checkAndroidSignature('k', body, ts, sign('k').toUpperCase(), now)).toBe('ok')
    expect(checkAndroidSignature('k', body, ts, sign('other'), now)).toBe('bad')
    expect(
      checkAndroidSignature('k', Buffer.concat([body, Buffer.from(' ')]), ts, sign('k'), now),
    ).toBe('bad')
    expect(checkAndroidSignature('k', body, undefined, sign('k'), now)).toBe('missing')
    expect(checkAndroidSignature('k', body, ts, 'zz', now)).toBe('bad')
    const old = String(now / 1000 - 301)
    expect(checkAndroidSignature('k', body, old, sign('k', old), now)).toBe('stale')
  })

  it('retries a reply when the phone is out of reach or answers 5xx, never after a 4xx', async () => {
    const answers = [
      () => Promise.reject(new TypeError('fetch failed')),
      () => Promise.resolve(new Response('busy', { status: 503 })),
      () => Promise.resolve(new Response('{}', { status: 202 })),
    ]
    const seen: RequestInit[] = []
    let i = 0
    const fetchStub = ((_url: string, init: RequestInit) => {
      seen.push(init)
      return answers[i++]!()
    }) as unknown as typeof fetch
    await new AndroidSender({
      url: 'http://192.168.1.20:8080/',
      user: 'sms',
      password: 'pw',
      fetch: fetchStub,
      retryDelaysMs: [0, 0],
    }).send('+6281211110001', 'DITERIMA')
    expect(seen).toHaveLength(3)
    expect(JSON.parse(seen[2]!.body as string)).toEqual({
      message: 'DITERIMA',
      phoneNumbers: ['+6281211110001'],
    })

    let calls = 0
    const denied = (() => {
      calls++
      return Promise.resolve(new Response('no', { status: 401 }))
    }) as unknown as typeof fetch
    const sender = new AndroidSender({
      url: 'http://192.168.1.20:8080',
      user: 'sms',
      password: 'rahasia',
      fetch: denied,
      retryDelaysMs: [0, 0],
    })
    const error = await sender.send('+62812', 'x').catch((e: Error) => e)
    expect(calls).toBe(1)
    expect((error as Error).message).toBe('ponsel gateway menjawab HTTP 401')
    expect((error as Error).message).not.toContain('rahasia')
  })

  it('says in Indonesian why a reply could not go, never the runtime error name', async () => {
    const failing = (e: Error) =>
      new AndroidSender({
        url: 'http://192.168.1.20:8080',
        user: 'sms',
        password: 'pw',
        fetch: (() => Promise.reject(e)) as unknown as typeof fetch,
        retryDelaysMs: [0],
      })
        .send('+62812', 'x')
        .catch((err: Error) => err.message)
    const unreachable = await failing(new TypeError('fetch failed'))
    expect(unreachable).toBe('ponsel gateway tidak terjangkau (cek Wi-Fi dan alamat ponsel)')
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' })
    expect(await failing(timeout)).toBe('ponsel gateway tidak menjawab tepat waktu')
  })
})
