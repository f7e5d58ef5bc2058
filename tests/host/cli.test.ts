import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { builtApp } from '../helpers/build-ui'
import { DESA_A, sid, tpsCsv } from '../helpers/desk'

let cli: string
const children: ChildProcess[] = []
beforeAll(() => {
  cli = join(builtApp(), 'main', 'cli.js')
}, 120_000)
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

/** The flags every desk in this file starts with: its data folder, a free port on 127.0.0.1. */
const onLoopback = (dir: string) => ['--data-dir', dir, '--port', '0', '--host', '127.0.0.1']
const serve = (dir: string, ...flags: string[]) => [cli, 'serve', ...onLoopback(dir), ...flags]

/** Start a process and wait until its output contains the desk's URL. */
function run(args: string[], env: Record<string, string> = {}, command = process.execPath) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const ready = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL in output:\n${out}`)), 60_000)
    const check = () => {
      const m = /siap di (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(t)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', check)
    child.on('exit', () => reject(new Error(`exited early:\n${out}`)))
  })
  return { child, ready, exited, output: () => out }
}

describe('headless desk (serve)', () => {
  it('generates an admin token once (file mode 0600), then reuses it quietly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const a = run(serve(dir))
    const url = await a.ready
    const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim()
    expect(a.output()).toContain(token)
    expect(statSync(join(dir, 'admin-token')).mode & 0o777).toBe(0o600)
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(((await me.json()) as any).role).toBe('admin')
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
    const b = run(serve(dir))
    await b.ready
    expect(b.output()).not.toContain(token)
    expect(b.output()).toContain('admin-token')
    b.child.kill('SIGINT')
    expect(await b.exited).toBe(0)
  })

  it('takes the admin token from DESK_ADMIN_TOKEN and never writes it to its log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const token = 'env-admin-token-for-the-test-1234'
    const a = run(serve(dir), {
      DESK_ADMIN_TOKEN: token,
    })
    const url = await a.ready
    const res = await fetch(`${url}/api/v1/progress`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    await fetch(`${url}/api/v1/events?token=${token}`, { signal: AbortSignal.timeout(300) }).catch(
      () => {},
    )
    a.child.kill('SIGTERM')
    await a.exited
    expect(a.output()).not.toContain(token)
  })

  it('finishes in-flight requests on SIGTERM and a restart has every acknowledged report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const token = 'sigterm-admin-token-0123456789'
    const a = run(serve(dir), {
      DESK_ADMIN_TOKEN: token,
    })
    const url = await a.ready
    const h = { authorization: `Bearer ${token}` }
    await fetch(`${url}/api/v1/tps/import`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'text/csv' },
      body: tpsCsv([DESA_A], 60, 300),
    })
    const send = (n: number) =>
      fetch(`${url}/api/v1/results`, {
        method: 'POST',
        headers: { ...h, 'content-type': 'application/json' },
        body: JSON.stringify({
          submissionId: sid(),
          tps: `${DESA_A}.${String(n).padStart(3, '0')}`,
          contest: 'gubernur',
          votes: { '1': 10, '2': 20, '3': 30 },
          invalid: 1,
        }),
      }).then(
        (r) => r.status,
        () => 0,
      )
    const inflight = Array.from({ length: 60 }, (_, i) => send(i + 1))
    setTimeout(() => a.child.kill('SIGTERM'), 5)
    const statuses = await Promise.all(inflight)
    expect(await a.exited).toBe(0)
    expect(a.output()).toContain('Desk berhenti dengan rapi')
    const acknowledged = statuses.filter((s) => s === 201).length
    const b = run(serve(dir), {
      DESK_ADMIN_TOKEN: token,
    })
    const url2 = await b.ready
    const p = (await (await fetch(`${url2}/api/v1/progress`, { headers: h })).json()) as any
    expect(p.contests.find((c: any) => c.contest === 'gubernur').reported).toBeGreaterThanOrEqual(
      acknowledged,
    )
    expect(acknowledged).toBeGreaterThan(0)
    b.child.kill('SIGTERM')
    await b.exited
  })

  it('`npm run serve` closes the desk cleanly when npm gets SIGTERM (no desk left behind)', async () => {
    // npm runs the script through a shell that dies on SIGTERM without passing it on.
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const a = run(['run', '--silent', 'serve', '--', ...onLoopback(dir)], {}, 'npm')
    const url = await a.ready
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200)
    a.child.kill('SIGTERM')
    await expect.poll(() => a.output(), { timeout: 10_000 }).toContain('Desk berhenti dengan rapi')
    await expect
      .poll(
        () =>
          fetch(`${url}/api/v1/health`).then(
            () => 'up',
            () => 'down',
          ),
        { timeout: 5_000 },
      )
      .toBe('down')
  }, 120_000)

  it('serves another regency with --regency (Kota Surabaya, 35.78)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const a = run(serve(dir, '--regency', '35.78'))
    const url = await a.ready
    expect(a.output()).toContain('Kota Surabaya')
    const regions = (await (await fetch(`${url}/api/v1/regions`)).json()) as {
      regency: { code: string }
      kecamatan: { code: string; desa: unknown[] }[]
    }
    expect(regions.regency.code).toBe('35.78')
    expect(regions.kecamatan).toHaveLength(31)
    expect(regions.kecamatan.every((k) => k.code.startsWith('35.78.'))).toBe(true)
    expect(regions.kecamatan.flatMap((k) => k.desa)).toHaveLength(153)
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
  })

  it('explains a bad flag in one sentence, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const a = run([cli, 'serve', '--data-dir', dir, '--port', 'abc'])
    a.ready.catch(() => {})
    expect(await a.exited).toBe(1)
    // The bad setting named by its flag, from the settings schema the desktop app uses too.
    expect(a.output()).toContain('--port: Port harus bilangan bulat 0–65535')
    const b = run([cli, 'serve', '--data-dir', dir, '--tls-cert', 'cert.pem'])
    b.ready.catch(() => {})
    expect(await b.exited).toBe(1)
    expect(b.output()).toContain('--tls-key: Sertifikat dan kunci TLS harus diisi berdua')
    expect(a.output()).not.toMatch(/\n\s+at /)
  })

  it('--public-url: printed at start and listed first for the cards; a bad one stops the desk in one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const bad = run(serve(dir, '--public-url', 'desk-pilkada.jemberkab.go.id/lapor'))
    bad.ready.catch(() => {})
    expect(await bad.exited).toBe(1)
    expect(bad.output().trim()).toBe(
      '--public-url: Alamat publik harus diawali http:// atau https://, mis. https://desk-pilkada.jemberkab.go.id',
    )
    expect(existsSync(join(dir, 'desk.sqlite'))).toBe(false)

    const a = run(serve(dir, '--public-url', 'https://Desk-Pilkada.jemberkab.go.id/'), {
      DESK_ADMIN_TOKEN: 'cli-public-url-token-0123456789',
    })
    const url = await a.ready
    expect(a.output()).toContain('Alamat di kartu pelapor: https://desk-pilkada.jemberkab.go.id\n')
    const r = await fetch(`${url}/api/v1/intake/addresses`, {
      headers: { authorization: 'Bearer cli-public-url-token-0123456789' },
    })
    expect(((await r.json()) as any).urls[0]).toEqual({
      interface: 'public',
      url: 'https://desk-pilkada.jemberkab.go.id',
      kind: 'public',
    })
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
  })

  it('refuses a short DESK_ADMIN_TOKEN, naming the variable, and opens nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const a = run(serve(dir), {
      DESK_ADMIN_TOKEN: 'rahasia',
    })
    a.ready.catch(() => {})
    expect(await a.exited).toBe(1)
    expect(a.output()).toContain('DESK_ADMIN_TOKEN terlalu pendek')
    expect(a.output()).not.toContain('rahasia')
    expect(existsSync(join(dir, 'desk.sqlite'))).toBe(false)
  })

  it('imports a TPS registry from the command line, all or nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cli-'))
    const good = join(dir, 'tps.csv')
    const bad = join(dir, 'bad.csv')
    writeFileSync(good, tpsCsv([DESA_A], 4, 300))
    writeFileSync(bad, `kode_desa,nomor_tps,dpt\n${DESA_A},1,300\n35.09.99.9999,1,2\n`)
    const b = run([cli, 'import-tps', bad, '--data-dir', join(dir, 'data')])
    b.ready.catch(() => {})
    expect(await b.exited).toBe(1)
    expect(b.output()).toContain('baris 3')
    const g = run([cli, 'import-tps', good, '--data-dir', join(dir, 'data')])
    g.ready.catch(() => {})
    expect(await g.exited).toBe(0)
    expect(g.output()).toContain('TPS baru: 4')
  })
})

describe('npm start where Electron cannot run', () => {
  it('says so in one plain sentence and runs the headless desk, printing the URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-start-'))
    const root = join(__dirname, '..', '..')
    // No display: the start script must fall back whatever the state of the Electron binary.
    const a = run([join(root, 'scripts', 'start.mjs'), ...onLoopback(dir)], {
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
      DESK_BUILD_DIR: builtApp(),
    })
    const url = await a.ready
    expect(a.output()).toMatch(
      /Jendela Electron tidak bisa dibuka \(.+\); desk berjalan tanpa jendela/,
    )
    expect(a.output()).not.toMatch(/\n\s+at /)
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200)
    a.child.kill('SIGTERM')
    await a.exited
  })
})
