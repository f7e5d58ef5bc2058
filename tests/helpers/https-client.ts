import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

export interface Answer {
  status: number
  headers: IncomingMessage['headers']
  body: string
  json<T = any>(): T
}

export interface CallOptions {
  /** The certificate to trust (a test's self-signed one). */
  ca?: Buffer | string
  /** Source address: 127.0.0.2, 127.0.0.3… are other clients to a proxy on loopback. */
  localAddress?: string
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
}

function open(url: string, options: CallOptions) {
  const u = new URL(url)
  const headers: Record<string, string> = { ...options.headers }
  if (typeof options.body === 'string') headers['content-type'] ??= 'application/json'
  return (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
    method: options.method ?? (options.body ? 'POST' : 'GET'),
    headers,
    agent: false,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  })
}

/** One request over http(s) with a chosen CA and source address (fetch can do neither). */
export function call(url: string, options: CallOptions = {}): Promise<Answer> {
  const req = open(url, options)
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (d: Buffer) => chunks.push(d))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: () => JSON.parse(body),
        })
      })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** An event stream over http(s): the named events as they arrive, with their arrival time. */
export function stream(url: string, options: CallOptions = {}) {
  const req = open(url, {
    ...options,
    headers: { accept: 'text/event-stream', ...options.headers },
  })
  const events: { event: string; data: string; at: number }[] = []
  let buffer = ''
  const opened = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8')
      res.on('data', (d: string) => {
        buffer += d
        let i
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i)
          buffer = buffer.slice(i + 2)
          let event = 'message'
          let data = ''
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim()
            else if (line.startsWith('data:')) data += line.slice(5).trim()
          }
          if (data) events.push({ event, data, at: performance.now() })
        }
      })
      res.on('error', () => {})
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
  })
  req.end()
  return {
    opened,
    events,
    async until(pred: () => boolean, timeoutMs: number): Promise<void> {
      const end = performance.now() + timeoutMs
      while (!pred()) {
        if (performance.now() > end)
          throw new Error(
            `stream: not there within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`,
          )
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    close() {
      req.destroy()
    },
  }
}
