// The desk's event catalogue: every event type the desk appends to its `events` table (and so
// sends on GET /events), with its payload. `DeskStore.appendEvent` takes only these types with
// exactly their payload, so a new event, or a change of what one carries, is made here first and
// the compiler finds every emitter and every screen that reads it. docs/API.md lists the same
// types (tests/shared/events-catalogue.test.ts compares the two).
//
// Payloads never carry an access code or a phone number: every signed-in screen, boards too,
// receives the stream (a display account sees the cut in server/event-views.ts).

import type { ContestDto, IncidentDto, TpsStatus } from './api'

/** The figures of a standing result, as the board adds them up without asking the desk. */
export interface ResultFigures {
  tps: string
  contest: string
  votes: Record<string, number>
  valid: number
  invalid: number
  total: number
  /** Codes of the soft warnings the sheet raised (`turnout_high`, …). */
  warnings: string[]
  /** How it came: `web`, `sms`, `telepon`, `tinjau` (a supervisor's corrected sheet), … */
  channel: string
}

export interface DeskEventPayloads {
  // -- the result ledger (service/ledger.ts): every change to `results` and `conflicts`
  /** The first report of a TPS in a contest became its standing result. */
  'result.accepted': ResultFigures & { receipt: string }
  /** A different report (or a correction) is held for a supervisor; the standing result stays. */
  'result.conflict': {
    tps: string
    contest: string
    conflictId: number
    kind: 'conflict' | 'correction'
    channel: string
  }
  /** A supervisor's decision replaced the standing result. */
  'result.updated': ResultFigures & { decisionId: number }
  /** A flagged result was confirmed or corrected by a supervisor. */
  'result.reviewed': {
    tps: string
    contest: string
    action: 'confirm' | 'correct'
    decisionId: number
  }
  /** A held report was decided; `changed` says whether the standing result changed. */
  'conflict.resolved': {
    conflictId: number
    tps: string
    contest: string
    keep: 'standing' | 'new' | 'corrected'
    decisionId: number
    changed: boolean
  }
  /** The simulator's data was removed (results, conflicts, accounts, TPS statuses): re-read. */
  'simulation.purged': { at: string; results: number; accounts: number; tpsStatus: number }

  // -- configuration and the TPS registry
  'config.changed': { contests: ContestDto[] }
  'tps.imported': { imported: number; updated: number }
  'tps.status': {
    tps: string
    status: TpsStatus
    reason?: string
    mergedInto?: string
    confirmResults?: boolean
  }

  // -- people and credentials
  'users.imported': { count: number }
  'users.reissued': { count: number }
  'cards.publicUrl': { publicUrl: string | null }
  /** Wrong codes locked an address (IPv6: its /64) or a person's code; which one only on GET /admin/lockouts. */
  'auth.locked': { kind: 'address' | 'code' }
  /** An admin lifted a sign-in lock ("Buka blokir"). */
  'auth.unlocked': { kind: 'address' | 'code' }

  // -- field intake
  'intake.window': { opensAt: string | null; closesAt: string | null }
  'intake.photoQuota': { perPlace: number; mbPerSheet: number; mbBase: number } | { reset: true }
  'photo.added': { file: string; region: string; tps: string | null; contest: string | null }
  /** The incident as listed (IncidentDto without the operators-only parts), just opened. */
  'incident.created': Omit<IncidentDto, 'status' | 'reporter' | 'photo'> & {
    status: 'open'
    categoryLabel: string
  }
  'incident.updated': { id: number; status: 'open' | 'handled'; hasPhoto?: true }
  'verification.changed': {
    desa: string
    kecamatan: string
    status: 'verified' | 'flagged'
    note: string | null
    at: string
    by: string
    /** Standing results of the desa's TPS when it was checked. */
    results: number
  }

  // -- operator console
  'chase.called': { reporter: string; callId: number; outcome: 'reached' | 'no_answer' | 'other' }
  'review.assigned': { kecamatan: string; supervisor: string | null }
  'draft.changed': {
    draftId: number
    tps: string
    contest: string
    status: 'waiting' | 'mismatch' | 'saved' | 'cancelled'
  }

  // -- wall board, export
  'boundaries.imported': { kecamatan: number; desa: number }
  'snapshot.created': {
    id: number
    at: string
    label: string
    dataSha256: string
    /** SHA-256 of each profile's workbook. */
    files: Record<string, string>
  }
  'kpu.imported': { id: number; level: 'tps' | 'desa' | 'kecamatan'; contests: string[] }

  // -- results by SMS
  'sms.received': {
    id: number
    gateway: string
    /** `received`, `counted`, `conflict`, `refused`, `wrong_code`, `locked`, `unknown_number`. */
    status: string
    tps?: string
    reporter?: string
  }
  'sms.sent': { id: number; replyTo: number | null; gateway: string; status: 'sent' | 'failed' }
  'sms.handled': { id: number }
  'sms.unblocked': Record<string, never>
}

export type DeskEventType = keyof DeskEventPayloads

/** One stored event of a given type, as the store returns it and the stream sends it. */
export interface DeskEventOf<K extends DeskEventType> {
  /** Durable and monotonic: a reconnecting client resumes after it (Last-Event-ID). */
  id: number
  type: K
  at: string
  data: DeskEventPayloads[K]
}

/** Any event of the catalogue; narrowing on `type` gives its payload. */
export type DeskEvent = { [K in DeskEventType]: DeskEventOf<K> }[DeskEventType]

/**
 * What a wall display may see of each event (server/event-views.ts applies it). A display
 * account runs on a screen anyone in the room can read, or on another machine on the LAN:
 * incident free text, notes and who did what stay with the desk's staff. Events not listed are
 * not sent to a display at all. Field names are checked against the payloads above.
 */
export const DISPLAY_FIELDS = {
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
  // Counts only; a board reads its summary again on it (the simulator's figures are gone).
  'simulation.purged': 'all',
  'verification.changed': ['desa', 'kecamatan', 'status', 'at'],
} as const satisfies { [K in DeskEventType]?: 'all' | readonly (keyof DeskEventPayloads[K])[] }

export type DisplayEventType = keyof typeof DISPLAY_FIELDS

/** The payload of `K` as a display account receives it. */
export type DisplayPayload<K extends DisplayEventType> = (typeof DISPLAY_FIELDS)[K] extends 'all'
  ? DeskEventPayloads[K]
  : (typeof DISPLAY_FIELDS)[K] extends readonly (infer F)[]
    ? Pick<DeskEventPayloads[K], F & keyof DeskEventPayloads[K]>
    : never

/** An event as a display account's stream carries it. */
export type DisplayEvent = {
  [K in DisplayEventType]: { id: number; type: K; at: string; data: DisplayPayload<K> }
}[DisplayEventType]

/** What a screen can receive on GET /events: the full event (staff) or the display's cut. */
export type StreamEvent = DeskEvent | DisplayEvent

/** What each event is for, one line: the catalogue at run time (docs and tests read it). */
export const DESK_EVENTS: Record<DeskEventType, string> = {
  'result.accepted': 'first result of a TPS in a contest (its figures, channel, receipt)',
  'result.conflict': 'a different report or a correction held for a supervisor',
  'result.updated': "a supervisor's decision replaced the standing result (its new figures)",
  'result.reviewed': 'a flagged result confirmed or corrected',
  'conflict.resolved': 'a held report decided',
  'simulation.purged': "the simulator's data removed",
  'config.changed': 'contests or the election name changed',
  'tps.imported': 'the TPS table imported',
  'tps.status': 'a TPS postponed, merged or made active again',
  'users.imported': 'people imported from a table',
  'users.reissued': 'codes reissued in bulk',
  'cards.publicUrl': "the address printed on the cards' QR codes changed",
  'auth.locked': 'wrong codes locked an address or a code (kind only; the list is admin-only)',
  'auth.unlocked': 'an admin lifted a sign-in lock',
  'intake.window': "the reporters' sign-in window changed",
  'intake.photoQuota': 'the photo quota changed',
  'photo.added': 'a photo of a C.Hasil sheet stored',
  'incident.created': 'an incident reported',
  'incident.updated': 'an incident handled, reopened or given its photo',
  'verification.changed': 'a desa verified or flagged',
  'chase.called': 'an operator logged a call to a reporter',
  'review.assigned': "a kecamatan's review assigned or released",
  'draft.changed': 'a phoned-in double-entry draft changed',
  'boundaries.imported': 'the map boundaries imported or removed',
  'snapshot.created': 'a recap snapshot frozen',
  'kpu.imported': "KPU's figures imported",
  'sms.received': 'an SMS taken (its outcome)',
  'sms.sent': 'an SMS reply sent or failed',
  'sms.handled': 'an SMS marked handled',
  'sms.unblocked': 'a number blocked for wrong codes unblocked',
}

export const DESK_EVENT_TYPES = Object.keys(DESK_EVENTS) as DeskEventType[]

/** Events that change a standing result; each names its `tps` and `contest` (the recap re-reads those). */
export const RESULT_CHANGE_EVENTS = [
  'result.accepted',
  'result.updated',
  'result.reviewed',
  'conflict.resolved',
] as const satisfies readonly DeskEventType[]

export type ResultChangeType = (typeof RESULT_CHANGE_EVENTS)[number]

/** Does this event change a standing result (and so name its `tps` and `contest`)? */
export function isResultChange(
  e: DeskEvent,
): e is { [K in ResultChangeType]: DeskEventOf<K> }[ResultChangeType] {
  return (RESULT_CHANGE_EVENTS as readonly string[]).includes(e.type)
}

export function isDeskEventType(type: string): type is DeskEventType {
  return Object.prototype.hasOwnProperty.call(DESK_EVENTS, type)
}
