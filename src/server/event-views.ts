import {
  DISPLAY_FIELDS,
  type DeskEvent,
  type DisplayEventType,
  type StreamEvent,
} from '../shared/events'

// What a wall display may see of each event is written once, beside the payload types, in
// src/shared/events.ts (`DISPLAY_FIELDS`): a display account runs on a screen anyone in the room
// can read, so incident free text, notes and who did what stay with the desk's staff, and events
// a board never uses are not sent to it at all.

function pick(data: unknown, fields: readonly string[]): Record<string, unknown> {
  const d = (data ?? {}) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const f of fields) if (f in d) out[f] = d[f]
  return out
}

function shownToDisplay(type: string): type is DisplayEventType {
  return Object.prototype.hasOwnProperty.call(DISPLAY_FIELDS, type)
}

/** The event as `role` receives it on the stream, or null when that role is not sent it. */
export function eventFor(role: string, e: DeskEvent): StreamEvent | null {
  if (role !== 'display') return e
  if (!shownToDisplay(e.type)) return null
  const fields: 'all' | readonly string[] = DISPLAY_FIELDS[e.type]
  return fields === 'all' ? e : ({ ...e, data: pick(e.data, fields) } as StreamEvent)
}
