import { connect, type Socket } from 'node:net'
export interface SseMessage {
  id?: string
  event?: string
  data?: string
}

/** A minimal SSE client over fetch, for tests and benches: collects messages until closed. */
export async function openSse(url: string, token: string, lastEventId?: number) {
  const controller = new AbortController()
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'text/event-stream',
  }
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId)
  const res = await fetch(url, { headers, signal: controller.signal })
  if (!res.ok || !res.body) throw new Error(`SSE ${res.status}`)
  const messages: SseMessage[] = []
  const waiters: { pred: (m: SseMessage[]) => boolean; resolve: () => void }[] = []
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffer += decoder.decode(value, { stream: true })
        let idx
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx)
          buffer = buffer.slice(idx + 2)
          const msg: SseMessage = {}
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue
            const [k, ...rest] = line.split(':')
            const v = rest.join(':').replace(/^ /, '')
            if (k === 'id') msg.id = v
            else if (k === 'event') msg.event = v
            else if (k === 'data') msg.data = (msg.data ? msg.data + '\n' : '') + v
          }
          if (msg.event || msg.data) messages.push(msg)
        }
        for (const w of [...waiters]) {
          if (!w.pred(messages)) continue
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve()
        }
      }
    } catch {
      // aborted
    }
  })()
  return {
    status: res.status,
    messages,
    until(pred: (m: SseMessage[]) => boolean, timeoutMs = 5000): Promise<void> {
      if (pred(messages)) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(`SSE wait timed out; got ${JSON.stringify(messages.map((m) => m.event))}`),
            ),
          timeoutMs,
        )
        waiters.push({
          pred,
          resolve: () => {
            clearTimeout(t)
            resolve()
          },
        })
      })
    },
    async close() {
      controller.abort()
      await pump
    },
  }
}

/** A raw socket connected to the desk, for requests written by hand (bursts, half-sent requests). */
export function connected(desk: { port: number }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(desk.port, '127.0.0.1', () => resolve(socket))
    socket.on('error', reject)
  })
}
