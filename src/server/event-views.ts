import type { DeskEvent } from '../shared/api'

/**
 * What a wall display may see of each event. A display account runs on a screen anyone in the
 * room can read (or on another machine on the LAN): incident free text (phone numbers, names),
 * notes and who did what stay with the desk's staff. The board shows place, category and urgency.
 * Events a board never uses are not sent to it at all.
 */
const DISPLAY_FIELDS: Record<string, readonly string[] | 'all'> = {
  'result.accepted': 'all',
  'result.updated': 'all',
  'result.conflict': ['tps', 'contest', 'conflictId', 'kind'],
  'result.reviewed': ['tps', 'contest', 'action'],
  'conflict.resolved': ['conflictId', 'tps', 'contest', 'changed'],
  'incident.created': [
    'id',
    'at',
    'region',
    'regionName',
    'tps',
    'category',
    'categoryLabel',
    'urgency',
    'status',
    'simulated',
    'hasPhoto',
  ],
  'incident.updated': ['id', 'status', 'hasPhoto'],
  'tps.status': ['tps', 'status', 'mergedInto'],
  'tps.imported': 'all',
  'config.changed': 'all',
  'boundaries.imported': 'all',
  'snapshot.created': 'all',
  'verification.changed': ['desa', 'kecamatan', 'status', 'at'],
}

function pick(data: unknown, fields: readonly string[]): Record<string, unknown> {
  const d = (data ?? {}) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const f of fields) if (f in d) out[f] = d[f]
  return out
}

/** The event as `role` receives it on the stream, or null when that role is not sent it. */
export function eventFor(role: string, e: DeskEvent): DeskEvent | null {
  if (role !== 'display') return e
  const fields = DISPLAY_FIELDS[e.type]
  if (!fields) return null
  return fields === 'all' ? e : { ...e, data: pick(e.data, fields) }
}
