import type { Request, Response } from 'express'
import type { DeskEvent } from '../shared/api'
import type { DeskService } from '../service/desk-service'

export interface SseHub {
  handle(req: Request, res: Response): void
  /** Open streams right now, by the role of who opened them. */
  counts(): Record<string, number>
  closeAll(): void
}

/**
 * Server-Sent Events. Every event carries its durable id; a client reconnecting with
 * Last-Event-ID (header, or `lastEventId` in the query for a first connect) first gets what it
 * missed from the store, then live events. Subscribing before replaying, and skipping ids already
 * sent, closes the gap between the two.
 */
export function createSseHub(service: DeskService, heartbeatMs: number = 15_000): SseHub {
  const open = new Set<{ res: Response; role: string }>()

  function handle(req: Request, res: Response): void {
    const role = (res.locals.principal as { role: string } | undefined)?.role ?? 'public'
    const header = req.get('Last-Event-ID') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined)
    const head = service.store.lastEventId()
    let lastSent = header && /^\d+$/.test(header) ? Number(header) : head
    // An id past the desk's last event: this client followed another desk (a restart on a new or
    // restored data folder). Skipping "up to" it would freeze the client silently; instead it
    // starts from now and is told, in `ready`, to read its state again.
    const reset = lastSent > head
    if (reset) lastSent = head
    res.status(200)
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    res.flushHeaders()
    res.write(`retry: 2000\n\n`)

    const send = (e: DeskEvent) => {
      if (e.id <= lastSent) return
      lastSent = e.id
      res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ ...e })}\n\n`)
    }
    const buffered: DeskEvent[] = []
    let replaying = true
    const unsubscribe = service.bus.subscribe((e) => (replaying ? buffered.push(e) : send(e)))
    for (;;) {
      const page = service.store.eventsAfter(lastSent, 1000)
      page.forEach(send)
      if (page.length < 1000) break
    }
    replaying = false
    buffered.forEach(send)
    // With its id, so a client that has seen no event yet still resumes from here after a drop.
    res.write(`id: ${lastSent}\nevent: ready\ndata: ${JSON.stringify({ lastEventId: lastSent, reset })}\n\n`)

    const entry = { res, role }
    open.add(entry)
    // A named event, not a comment: pages never see comments, and a board must notice silence.
    const heartbeat = setInterval(() => res.write(`event: ping\ndata: {"t":${Date.now()}}\n\n`), heartbeatMs)
    const cleanup = () => {
      clearInterval(heartbeat)
      unsubscribe()
      open.delete(entry)
    }
    req.on('close', cleanup)
    res.on('error', cleanup)
  }

  return {
    handle,
    counts() {
      const c: Record<string, number> = {}
      for (const { role } of open) c[role] = (c[role] ?? 0) + 1
      return c
    },
    closeAll() {
      for (const { res } of open) res.end()
      open.clear()
    },
  }
}
