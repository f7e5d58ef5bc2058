// What the benches share: a desk in its own process (its own event loop, as on election night),
// run from the sources as they are now, and a Jember-sized TPS registry imported into it.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const BENCH_TOKEN = 'bench-admin-token-0123456789abcdef'
export const benchHeaders = { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' }
const root = join(import.meta.dirname, '..')

/** Start `serve` on 127.0.0.1, port 0, in a temp data dir; `env` tunes it (e.g. DESK_WRITER_MAX_BATCH). */
export function startDeskProcess(env: Record<string, string> = {}, extraArgs: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'desk-bench-'))
  return startProcess(
    [join(root, 'src/host/cli.ts'), 'serve', '--data-dir', dir, '--port', '0', '--host', '127.0.0.1', ...extraArgs],
    { DESK_ADMIN_TOKEN: BENCH_TOKEN, ...env },
    () => rmSync(dir, { recursive: true, force: true }),
  )
}

/** Start a TypeScript program (or, with `tsx: false`, a built one) that prints "siap di URL" once it listens. */
export async function startProcess(args: string[], env: Record<string, string> = {}, cleanup: () => void = () => {}, options: { tsx?: boolean } = {}) {
  // DESK_BENCH_SERVER_CPU pins the server to one core (taskset), so a load generator pinned to the
  // other does not steal its CPU: on election night the phones are other machines.
  const cpu = process.env.DESK_BENCH_SERVER_CPU
  const command = cpu ? 'taskset' : process.execPath
  const argv = options.tsx === false ? args : ['--import', 'tsx', ...args]
  const child = spawn(command, cpu ? ['-c', cpu, process.execPath, ...argv] : argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const m = /siap di (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.on('exit', () => reject(new Error(`did not start:\n${out}`)))
  })
  child.stdout!.resume()
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => child.on('exit', r))
      cleanup()
    },
  }
}

/** `perDesa` TPS in every desa of the desk's regency (17 × 248 ≈ Jember's 4,046); returns their codes. */
export async function importRegistry(url: string, perDesa = 17): Promise<string[]> {
  const regions = (await (await fetch(`${url}/api/v1/regions`)).json()) as { kecamatan: { desa: { code: string }[] }[] }
  const lines = ['kode_desa,nomor_tps,dpt']
  const codes: string[] = []
  for (const d of regions.kecamatan.flatMap((k) => k.desa.map((x) => x.code))) {
    for (let n = 1; n <= perDesa; n++) {
      lines.push(`${d},${n},400`)
      codes.push(`${d}.${String(n).padStart(3, '0')}`)
    }
  }
  const r = await fetch(`${url}/api/v1/tps/import`, {
    method: 'POST',
    headers: { ...benchHeaders, 'content-type': 'text/csv' },
    body: lines.join('\n'),
  })
  if (!r.ok) throw new Error(await r.text())
  return codes
}
