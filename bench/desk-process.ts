// What the benches share: a desk in its own process (its own event loop, as on election night),
// run from the sources as they are now, and a Jember-sized TPS registry imported into it.
import { spawn } from 'node:child_process'
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const BENCH_TOKEN = 'bench-admin-token-0123456789abcdef'
export const benchHeaders = {
  authorization: `Bearer ${BENCH_TOKEN}`,
  'content-type': 'application/json',
}
const root = join(import.meta.dirname, '..')

/**
 * Start `serve` on 127.0.0.1, port 0, in a temp data dir; `env` tunes it (e.g. DESK_WRITER_MAX_BATCH).
 * `onRequestLog` gets the desk's request log (JSON lines, `<data>/logs/desk.log`) as it grows.
 */
export async function startDeskProcess(
  env: Record<string, string> = {},
  args: string[] = [],
  onRequestLog?: (chunk: string) => void,
) {
  const dir = mkdtempSync(join(tmpdir(), 'desk-bench-'))
  const tail = onRequestLog ? tailLog(join(dir, 'logs', 'desk.log'), onRequestLog) : null
  const started = await startProcess(
    [
      join(root, 'src/host/cli.ts'),
      'serve',
      '--data-dir',
      dir,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      ...args,
    ],
    { DESK_ADMIN_TOKEN: BENCH_TOKEN, ...env },
    () => {
      tail?.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  )
  return {
    ...started,
    /** Waits until what the desk has logged so far was handed to `onRequestLog`. */
    flushLog: () => tail?.read(),
  }
}

/** Follows a log file that the desk rotates by renaming (desk.log → desk.log.1): every line once. */
function tailLog(file: string, onChunk: (chunk: string) => void) {
  let fd: number | null = null
  let ino = 0
  let at = 0
  const buf = Buffer.alloc(1 << 20)
  const drain = () => {
    if (fd === null) return
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, at)
      if (n <= 0) break
      at += n
      onChunk(buf.toString('utf8', 0, n))
    }
  }
  const read = () => {
    try {
      if (fd === null) {
        if (!existsSync(file)) return
        fd = openSync(file, 'r')
        ino = fstatSync(fd).ino
        at = 0
      }
      drain()
      // Rotated: finish the old file (still open), then follow the new one.
      if (existsSync(file) && statSync(file).ino !== ino) {
        drain()
        closeSync(fd)
        fd = null
        read()
      }
    } catch {
      // between a rename and the new file: the next tick reads on
    }
  }
  const timer = setInterval(read, 50)
  return {
    read,
    stop() {
      clearInterval(timer)
      read()
      if (fd !== null) closeSync(fd)
    },
  }
}

/** A process's resident memory in MB, from /proc (Linux); NaN once it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

/** Start a TypeScript program (or, with `tsx: false`, a built one) that prints "siap di URL" once it listens. */
export async function startProcess(
  args: string[],
  env: Record<string, string> = {},
  cleanup: () => void = () => {},
  options: { tsx?: boolean; onStdout?: (chunk: string) => void } = {},
) {
  // DESK_BENCH_SERVER_CPU pins the server to one core (taskset), so a load generator pinned to the
  // other does not steal its CPU: on election night the phones are other machines.
  const cpu = process.env.DESK_BENCH_SERVER_CPU
  const command = cpu ? 'taskset' : process.execPath
  // DESK_BENCH_NODE_ARGS: node's own flags for the desk (e.g. `--cpu-prof --cpu-prof-dir=D`, which
  // NODE_OPTIONS does not allow), to profile it under a bench's load.
  const nodeArgs = process.env.DESK_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const argv = [...nodeArgs, ...(options.tsx === false ? args : ['--import', 'tsx', ...args])]
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
  if (options.onStdout)
    child.stdout!.on('data', (d: Buffer) => options.onStdout!(d.toString('utf8')))
  child.stdout!.resume()
  return {
    url,
    /** The desk's process id (its memory is read from /proc). */
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
  const regions = (await (await fetch(`${url}/api/v1/regions`)).json()) as {
    kecamatan: { desa: { code: string }[] }[]
  }
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
