import type { DeskEvent } from '../shared/events'

export type EventListener = (event: DeskEvent) => void

/** In-process fan-out of committed events to SSE subscribers. Publishing happens only after commit. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  publish(events: DeskEvent[]): void {
    for (const e of events) {
      for (const l of this.listeners) {
        try {
          l(e)
        } catch {
          // a broken subscriber must not stop the others
        }
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
