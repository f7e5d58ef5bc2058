import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eventFor } from '../../src/server/event-views'
import {
  DESK_EVENT_TYPES,
  DISPLAY_FIELDS,
  isDeskEventType,
  isResultChange,
  RESULT_CHANGE_EVENTS,
  type DeskEvent,
} from '../../src/shared/events'
import type { DeskStore } from '../../src/store/store'

// docs/API.md's event table is what other tools build on: it must list exactly the catalogue's
// events, and say truthfully what a display account receives of each.

const api = readFileSync(join(import.meta.dirname, '../../docs/API.md'), 'utf8')

function documented(): Map<string, { data: string; display: string }> {
  const begin = api.indexOf('<!-- events:begin -->')
  const end = api.indexOf('<!-- events:end -->')
  expect(begin).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(begin)
  const rows = new Map<string, { data: string; display: string }>()
  for (const line of api.slice(begin, end).split('\n')) {
    const m = /^\| `([a-zA-Z.]+)` \| (.+) \| ([^|]+) \|$/.exec(line.trim())
    if (m) rows.set(m[1]!, { data: m[2]!, display: m[3]!.trim() })
  }
  return rows
}

describe('event catalogue', () => {
  it('docs/API.md lists every event of the catalogue, and nothing else', () => {
    const rows = documented()
    expect([...rows.keys()].sort()).toEqual([...DESK_EVENT_TYPES].sort())
  })

  it('docs/API.md says what a display account receives of each event, as the desk sends it', () => {
    for (const [type, row] of documented()) {
      const fields = (DISPLAY_FIELDS as Record<string, 'all' | readonly string[]>)[type]
      const expected = fields === undefined ? '—' : fields === 'all' ? 'all' : fields.join(', ')
      expect(`${type}: ${row.display}`).toBe(`${type}: ${expected}`)
      // Every field a display receives is named in the documented payload.
      if (Array.isArray(fields))
        for (const f of fields) expect(row.data).toMatch(new RegExp(`\\b${f}\\b`))
    }
  })

  it('the display cut keeps only the listed fields and drops unlisted events', () => {
    const incident: DeskEvent = {
      id: 1,
      type: 'incident.created',
      at: '2024-11-27T08:00:00.000Z',
      data: {
        id: 1,
        at: '2024-11-27T08:00:00.000Z',
        region: '35.09.01.2001',
        regionName: 'Padomasan',
        tps: null,
        category: 'keamanan',
        categoryLabel: 'Keamanan',
        urgency: 'tinggi',
        text: 'Pak Budi 0812345 dipukul',
        status: 'open',
        simulated: false,
        hasPhoto: false,
      },
    }
    const shown = eventFor('display', incident)!
    expect(Object.keys(shown.data).sort()).toEqual([...DISPLAY_FIELDS['incident.created']].sort())
    expect(JSON.stringify(shown)).not.toContain('0812345')
    expect(eventFor('operator', incident)).toBe(incident)
    const call: DeskEvent = {
      id: 2,
      type: 'chase.called',
      at: 'x',
      data: { reporter: 'u1', callId: 1, outcome: 'reached' },
    }
    expect(eventFor('display', call)).toBeNull()
  })

  it('appendEvent takes only catalogue types with exactly their payload (checked by tsc)', () => {
    // Never called: the compiler (tsconfig.test.json, part of npm test) checks these lines, and an
    // expected error that no longer occurs fails the typecheck.
    const typed = (store: DeskStore) => {
      store.appendEvent('tps.imported', { imported: 1, updated: 0 })
      // @ts-expect-error an event type the catalogue does not have
      store.appendEvent('result.acepted', { tps: 'x' })
      // @ts-expect-error a payload that is not the event's (a field missing)
      store.appendEvent('result.reviewed', { tps: 'x', contest: 'y', action: 'confirm' })
      // @ts-expect-error a field of the wrong type
      store.appendEvent('sms.handled', { id: '1' })
    }
    expect(typeof typed).toBe('function')
  })

  it('knows its own types, and which of them change a standing result', () => {
    expect(isDeskEventType('result.accepted')).toBe(true)
    expect(isDeskEventType('ping')).toBe(false)
    expect(isDeskEventType('toString')).toBe(false)
    for (const t of RESULT_CHANGE_EVENTS) expect(DESK_EVENT_TYPES).toContain(t)
    const conflict: DeskEvent = {
      id: 3,
      type: 'result.conflict',
      at: 'x',
      data: { tps: 't', contest: 'c', conflictId: 1, kind: 'conflict', channel: 'web' },
    }
    // A held report leaves the standing result as it is: the recap need not re-read it.
    expect(isResultChange(conflict)).toBe(false)
  })
})
