// The console's own log of the phoned-in results it entered (issue 13 item 8). Kept in this browser
// (localStorage survives a desk failover and a reload) with the exact body and submissionId sent, so
// entries a restored desk does not have can be listed and entered again — counted once, since the
// submissionId is the original one.

import type { ResultAnswer } from '../../../shared/api'

export interface LoggedEntry {
  submissionId: string
  tps: string
  contest: string
  /** The body of POST /results exactly as sent. */
  body: Record<string, unknown>
  receipt: string
  status: string
  at: number
}

/** Plenty for a night: a console enters a few hundred phoned-in results at most. */
const KEEP = 5000
const key = (userId: string) => `desk.console.entries.${userId}`

export function loggedEntries(userId: string): LoggedEntry[] {
  try {
    const raw = localStorage.getItem(key(userId))
    return raw ? (JSON.parse(raw) as LoggedEntry[]) : []
  } catch {
    return []
  }
}

/** Keep one acknowledged entry (a resend of the same submissionId replaces its row). */
export function logEntry(
  userId: string,
  body: Record<string, unknown> & { submissionId: string; tps: string; contest: string },
  answer: ResultAnswer,
): void {
  const entry: LoggedEntry = {
    submissionId: body.submissionId,
    tps: body.tps,
    contest: body.contest,
    body,
    receipt: answer.receipt,
    status: answer.replayOf ?? answer.status,
    at: Date.now(),
  }
  const rest = loggedEntries(userId).filter((e) => e.submissionId !== entry.submissionId)
  try {
    localStorage.setItem(key(userId), JSON.stringify([entry, ...rest].slice(0, KEEP)))
  } catch {
    // storage full: the desk has the entry; only the failover safety net misses it
  }
}
