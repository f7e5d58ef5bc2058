import { request } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtUi } from '../helpers/build-ui'
import { startDesk, type TestDesk } from '../helpers/desk'

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the UI served by the desk', () => {
  let desk: TestDesk
  let ui: string
  beforeAll(async () => {
    ui = builtUi()
    desk = await startDesk({ staticDir: ui })
  }, 120_000)
  afterAll(() => desk.stop())

  it('serves every screen, nested paths included, with assets named from the site root', async () => {
    for (const path of [
      '/',
      '/papan',
      '/publik',
      '/rekap',
      '/tps/35.09.01.2001.001',
      '/papan/anything',
    ]) {
      const r = await get(`${desk.url}${path}`)
      expect(r.status).toBe(200)
      const html = r.body.toString()
      expect(html).toContain('<div id="root">')
      expect(html).toMatch(/src="\/assets\/[^"]+\.js"/)
      expect(r.headers['content-security-policy']).toContain("script-src 'self'")
    }
  })

  it('serves the reporter form as its own page at /lapor and below', async () => {
    for (const path of ['/lapor', '/lapor/', '/lapor/tps/1']) {
      const html = (await get(`${desk.url}${path}`)).body.toString()
      expect(html).not.toBe((await get(`${desk.url}/`)).body.toString())
      expect(html).toMatch(/src="\/assets\/lapor[^"]*\.js"/)
    }
  })

  it('sends assets gzipped to browsers that accept it, identical once unpacked', async () => {
    const html = (await get(`${desk.url}/lapor`)).body.toString()
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!
    const plain = readFileSync(join(ui, asset))
    const zipped = await get(`${desk.url}${asset}`, { 'accept-encoding': 'gzip, deflate' })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.body.length).toBeLessThan(plain.length / 2)
    expect(gunzipSync(zipped.body).equals(plain)).toBe(true)
    const raw = await get(`${desk.url}${asset}`)
    expect(raw.headers['content-encoding']).toBeUndefined()
    expect(raw.body.equals(plain)).toBe(true)
    const climb = await get(`${desk.url}/assets/..%2f..%2fdesk.sqlite`, {
      'accept-encoding': 'gzip',
    })
    expect(climb.status).toBeGreaterThanOrEqual(400)
    expect(climb.status).toBeLessThan(500)
  })
})
