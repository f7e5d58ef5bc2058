// A lean closed-loop HTTP/1.1 load generator for bench/intake: `clients` keep-alive sockets, each
// sending one request and waiting for the whole answer before the next. It writes pre-built bytes
// and reads only the status line and the body's length, so on a 2-core machine it leaves the server
// far more CPU than Node's fetch does (fetch spends more per request than the endpoint it measures).
// Latency is measured from the request's write to the answer's last byte.
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'

export interface Figures {
  rps: number
  p50: number
  p99: number
  /** How many answers of each HTTP status were counted. */
  statuses?: Record<number, number>
  /**
   * CPU the server process spent per counted request (user + system, µs), when its pid was given.
   * Less sensitive than req/s to whatever else the machine runs at the time.
   */
  cpuUs?: number
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

export interface LoadOptions {
  url: string
  path: string
  headers: Record<string, string>
  /** The body of request number `i` (unique across all clients). */
  body: (i: number) => string
  clients: number
  seconds: number
  /** Not counted at the start: connections, JIT. */
  warmupMs?: number
  /** The server's process id: its CPU time over the counted window is reported as `cpuUs`. */
  pid?: number
}

const HEADER_END = Buffer.from('\r\n\r\n')

/** Where a complete response ends in `buf`, its status, or null while more bytes are due. */
function parseResponse(buf: Buffer): { status: number; end: number } | null {
  const head = buf.indexOf(HEADER_END)
  if (head < 0) return null
  const text = buf.toString('latin1', 0, head)
  const status = Number(text.slice(9, 12))
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)
  if (length) {
    const end = head + 4 + Number(length[1])
    return buf.length >= end ? { status, end } : null
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(text)) {
    const last = buf.indexOf('\r\n0\r\n\r\n', head)
    if (last >= 0) return { status, end: last + 7 }
    if (buf.indexOf('0\r\n\r\n', head + 4) === head + 4) return { status, end: head + 9 }
    return null
  }
  return { status, end: head + 4 }
}

export async function rawLoad(o: LoadOptions): Promise<Figures> {
  const target = new URL(o.url)
  const fixed =
    `POST ${o.path} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n` +
    Object.entries(o.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')
  const start = Date.now() + (o.warmupMs ?? 1000)
  const end = start + o.seconds * 1000
  const lat: number[] = []
  const statuses: Record<number, number> = {}
  let next = 0
  let cpuAtStart = 0
  let cpuAtEnd = 0
  const cpuTimers =
    o.pid === undefined
      ? []
      : [
          setTimeout(() => (cpuAtStart = cpuSeconds(o.pid!)), start - Date.now()),
          setTimeout(() => (cpuAtEnd = cpuSeconds(o.pid!)), end - Date.now()),
        ]

  const client = () =>
    new Promise<void>((resolve, reject) => {
      const socket: Socket = connect({
        host: target.hostname,
        port: Number(target.port),
        noDelay: true,
      })
      let pending: Buffer = Buffer.alloc(0)
      let sentAt = 0
      let counted = false
      const send = () => {
        if (Date.now() >= end) {
          socket.end()
          resolve()
          return
        }
        const body = o.body(next++)
        counted = Date.now() >= start
        sentAt = performance.now()
        socket.write(`${fixed}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
      }
      socket.on('connect', send)
      socket.on('error', reject)
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
        const r = parseResponse(pending)
        if (!r) return
        const took = performance.now() - sentAt
        if (r.status >= 400) {
          socket.destroy()
          reject(
            new Error(
              `HTTP ${r.status}: ${pending.toString('utf8', 0, Math.min(pending.length, 400))}`,
            ),
          )
          return
        }
        pending = pending.subarray(r.end)
        if (counted) {
          lat.push(took)
          statuses[r.status] = (statuses[r.status] ?? 0) + 1
        }
        send()
      })
    })

  try {
    await Promise.all(Array.from({ length: o.clients }, client))
  } finally {
    cpuTimers.forEach(clearTimeout)
  }
  // The last client may finish a moment before the end timer fires.
  if (o.pid !== undefined && cpuAtEnd === 0) cpuAtEnd = cpuSeconds(o.pid)
  lat.sort((a, b) => a - b)
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0
  const figures: Figures = { rps: lat.length / o.seconds, p50: q(0.5), p99: q(0.99), statuses }
  if (o.pid !== undefined && cpuAtEnd > 0 && lat.length > 0)
    figures.cpuUs = ((cpuAtEnd - cpuAtStart) * 1e6) / lat.length
  return figures
}
