import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { call } from './https-client'

export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx'
export const NGINX_CONF = join(import.meta.dirname, '..', '..', 'docs', 'deploy', 'nginx.conf')

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to)
  // The docs' file changed shape: the test must follow it, never silently test something else.
  if (next === text) throw new Error(`docs/deploy/nginx.conf: "${String(from)}" not found`)
  return next
}

export interface RunningNginx {
  /** https://127.0.0.1:PORT */
  url: string
  httpsPort: number
  httpPort: number
  prefix: string
  errorLog(): string
  stop(): Promise<void>
}

/**
 * Debian's nginx with the recommended configuration (docs/deploy/nginx.conf) in a private prefix:
 * only the listen ports, the certificate, the cache folder and the desk's address are substituted.
 * Loopback only; stopped (and its folder removed) by `stop()`.
 */
export async function startNginx(options: {
  deskPort: number
  cert: string
  key: string
  workers?: number
  /** taskset CPU list (benches) */ cpu?: string
}): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'desk-nginx-'))
  for (const d of ['cache', 'client', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(join(prefix, d))
  const [httpsPort, httpPort] = [await freePort(), await freePort()]
  let site = readFileSync(NGINX_CONF, 'utf8')
  site = replaceOnce(site, '/var/cache/nginx/desk-pilkada', join(prefix, 'cache'))
  site = replaceOnce(site, 'server 127.0.0.1:4046;', `server 127.0.0.1:${options.deskPort};`)
  site = replaceOnce(site, /\n\s*listen \[::\]:80;/, '')
  site = replaceOnce(site, /\n\s*listen \[::\]:443 ssl http2;/, '')
  site = replaceOnce(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`)
  site = replaceOnce(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
  site = replaceOnce(site, '/etc/ssl/desk-pilkada/fullchain.pem', options.cert)
  site = replaceOnce(site, '/etc/ssl/desk-pilkada/privkey.pem', options.key)
  writeFileSync(join(prefix, 'desk-pilkada.conf'), site)
  const root = process.getuid?.() === 0
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `${root ? 'user root root;\n' : ''}worker_processes ${options.workers ?? 1};
daemon off;
master_process on;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/desk-pilkada.conf;
}
`,
  )
  const argv = ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')]
  const child: ChildProcess = options.cpu
    ? spawn('taskset', ['-c', options.cpu, NGINX, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(NGINX, argv, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const errorLog = () =>
    (existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : '') +
    stderr
  const url = `https://127.0.0.1:${httpsPort}`
  const ca = readFileSync(options.cert)
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGQUIT')
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(t)
    }
    rmSync(prefix, { recursive: true, force: true })
  }
  // Ready when it answers over TLS (the desk's health passes through).
  const until = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) {
      const log = errorLog()
      await stop()
      throw new Error(`nginx exited: ${log}`)
    }
    try {
      if ((await call(`${url}/api/v1/health`, { ca })).status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      const log = errorLog()
      await stop()
      throw new Error(`nginx not ready: ${log}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { url, httpsPort, httpPort, prefix, errorLog, stop }
}
