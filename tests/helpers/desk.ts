import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDesk, type Desk, type DeskOptions } from '../../src/host/desk'
import { silentLogger } from '../../src/server/logger'

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

export interface TestDesk extends Desk {
  dataDir: string
  /** fetch against the desk, JSON in and out, admin token unless `token` is given (null: none). */
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Headers }>
  stop(): Promise<void>
}

/** A real desk on 127.0.0.1, port 0, in a fresh temp data dir. */
export async function startDesk(options: Partial<DeskOptions> = {}): Promise<TestDesk> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'desk-test-'))
  const desk = await createDesk({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    adminToken: ADMIN_TOKEN,
    logger: silentLogger,
    staticDir: null,
    limits: {
      perPrincipal: { rate: 10_000, burst: 10_000 },
      perAddress: { rate: 10_000, burst: 10_000 },
    },
    ...options,
  })
  const call: TestDesk['call'] = async (method, path, body, token = ADMIN_TOKEN, headers = {}) => {
    const h: Record<string, string> = { ...headers }
    if (token) h.authorization = `Bearer ${token}`
    let payload: string | Buffer | undefined
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        payload = body as string | Buffer
        h['content-type'] ??= 'text/csv'
      } else {
        payload = JSON.stringify(body)
        h['content-type'] = 'application/json'
      }
    }
    const res = await fetch(`${desk.url}/api/v1${path}`, {
      method,
      headers: h,
      body: payload as never,
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // not JSON (a file download): keep the text
    }
    return { status: res.status, body: parsed as any, headers: res.headers }
  }
  return Object.assign(desk, {
    dataDir,
    call,
    async stop() {
      await desk.close()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  })
}

/** A CSV registry: `count` TPS in each of the given desa, DPT `dpt`. */
export function tpsCsv(desa: string[], count = 3, dpt = 300): string {
  const lines = ['kode_desa,nomor_tps,dpt']
  for (const d of desa) for (let n = 1; n <= count; n++) lines.push(`${d},${n},${dpt}`)
  return lines.join('\n') + '\n'
}

let seq = 0
export function sid(prefix = 'sub'): string {
  seq++
  return `${prefix}-${process.pid}-${Date.now()}-${seq}`
}

/** Jember desa used across tests: two in Jombang (35.09.01), one in Kaliwates (35.09.19). */
export const DESA_A = '35.09.01.2001'
export const DESA_B = '35.09.01.2002'
export const DESA_C = '35.09.19.1001'

/** A wrong code with the same public handle (first group) as `code`. */
export function sameHandle(code: string, i: number): string {
  const secret = code.slice(5).replace(/-/g, '')
  const other =
    (i + 2).toString().repeat(8) === secret ? '9'.repeat(8) : (i + 2).toString().repeat(8)
  return `${code.slice(0, 4)}-${other.slice(0, 4)}-${other.slice(4)}`
}
