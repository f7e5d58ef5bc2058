import type { Db } from './db'

type Row = Record<string, unknown>

export type SmsGatewayName = 'gammu' | 'android'

export interface SmsMessageRecord {
  id: number
  direction: 'in' | 'out'
  gateway: SmsGatewayName
  phone: string
  at: string
  sentAt: string | null
  text: string
  userId: string | null
  status: string
  detail: Record<string, unknown>
  replyTo: number | null
}

function messageFromRow(r: Row): SmsMessageRecord {
  return {
    id: r.id as number,
    direction: r.direction as SmsMessageRecord['direction'],
    gateway: r.gateway as SmsGatewayName,
    phone: r.phone as string,
    at: r.at as string,
    sentAt: (r.sent_at as string | null) ?? null,
    text: r.text as string,
    userId: (r.user_id as string | null) ?? null,
    status: r.status as string,
    detail: JSON.parse((r.detail as string) || '{}') as Record<string, unknown>,
    replyTo: (r.reply_to as number | null) ?? null,
  }
}

/** The SMS feature's statements (migration 0150), prepared once; writes run inside the desk's writer. */
export class SmsStore {
  private readonly s

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      setCode: p(`INSERT INTO sms_codes (user_id, code_hash, issued_at) VALUES (?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, issued_at = excluded.issued_at`),
      codeHash: p('SELECT code_hash FROM sms_codes WHERE user_id = ?'),
      insert:
        p(`INSERT INTO sms_messages (direction, gateway, phone, at, sent_at, text, user_id, status, detail, message_key, reply_to)
        VALUES (@direction, @gateway, @phone, @at, @sentAt, @text, @userId, @status, @detail, @key, @replyTo)`),
      byKey: p('SELECT * FROM sms_messages WHERE message_key = ?'),
      byId: p('SELECT * FROM sms_messages WHERE id = ?'),
      setStatus: p(
        'UPDATE sms_messages SET status = ?, detail = ?, user_id = coalesce(?, user_id) WHERE id = ?',
      ),
      setText: p('UPDATE sms_messages SET text = ? WHERE id = ?'),
      recent: p('SELECT * FROM sms_messages WHERE id < ? ORDER BY id DESC LIMIT ?'),
      // What an operator still has to act on: incoming messages not counted (and not yet handled
      // by a phoned-in entry), and replies that could not be sent.
      problems: p(`SELECT * FROM sms_messages WHERE id < ? AND (
          (direction = 'in' AND status IN ('refused', 'wrong_code', 'locked', 'unknown_number', 'conflict')
            AND json_extract(detail, '$.handled') IS NULL)
          OR (direction = 'out' AND status = 'failed'))
        ORDER BY id DESC LIMIT ?`),
      setHandled: p(`UPDATE sms_messages SET detail = json_set(detail, '$.handled', json(?))
        WHERE id = ? AND direction = 'in' AND json_extract(detail, '$.handled') IS NULL`),
      // The lockout is read from the log, so it survives a restart: wrong codes, and messages whose
      // code was right (they reset the count; an empty message had no code at all).
      lockoutHistory:
        p(`SELECT at, status, json_extract(detail, '$.unblocked') IS NOT NULL AS cleared FROM sms_messages
        WHERE phone = ? AND direction = 'in' AND at >= ?
          AND (status = 'wrong_code' OR (status IN ('counted', 'conflict', 'refused') AND json_extract(detail, '$.empty') IS NULL))
        ORDER BY id`),
      wrongCodePhones: p(
        `SELECT DISTINCT phone FROM sms_messages WHERE direction = 'in' AND status = 'wrong_code' AND at >= ?`,
      ),
      clearWrongCodes: p(`UPDATE sms_messages SET detail = json_set(detail, '$.unblocked', json(?))
        WHERE phone = ? AND direction = 'in' AND status = 'wrong_code' AND at >= ? AND json_extract(detail, '$.unblocked') IS NULL`),
      lastInByUser: p(`SELECT m.* FROM sms_messages m
        JOIN (SELECT user_id, max(id) AS id FROM sms_messages WHERE direction = 'in' AND user_id IS NOT NULL GROUP BY user_id) last
        ON last.id = m.id`),
      unknown:
        p(`SELECT phone, count(*) AS n, max(at) AS last_at, max(id) AS last_id FROM sms_messages
        WHERE direction = 'in' AND status = 'unknown_number' GROUP BY phone ORDER BY last_at DESC LIMIT 200`),
    }
  }

  setCode(userId: string, hash: string, at: string): void {
    this.s.setCode.run(userId, hash, at)
  }

  codeHash(userId: string): string | null {
    return (this.s.codeHash.get(userId) as { code_hash: string } | undefined)?.code_hash ?? null
  }

  insert(m: Omit<SmsMessageRecord, 'id'> & { key: string | null }): number {
    return Number(
      this.s.insert.run({
        direction: m.direction,
        gateway: m.gateway,
        phone: m.phone,
        at: m.at,
        sentAt: m.sentAt,
        text: m.text,
        userId: m.userId,
        status: m.status,
        detail: JSON.stringify(m.detail),
        key: m.key,
        replyTo: m.replyTo,
      }).lastInsertRowid,
    )
  }

  byKey(key: string): SmsMessageRecord | undefined {
    const r = this.s.byKey.get(key) as Row | undefined
    return r ? messageFromRow(r) : undefined
  }

  byId(id: number): SmsMessageRecord | undefined {
    const r = this.s.byId.get(id) as Row | undefined
    return r ? messageFromRow(r) : undefined
  }

  setStatus(
    id: number,
    status: string,
    detail: Record<string, unknown>,
    userId: string | null = null,
  ): void {
    this.s.setStatus.run(status, JSON.stringify(detail), userId, id)
  }

  /** The stored text again, with more of it masked (the sender's code found later in it). */
  setText(id: number, text: string): void {
    this.s.setText.run(text, id)
  }

  /** Newest first, `before` an id (paging back), at most `limit`. */
  recent(limit: number, before = Number.MAX_SAFE_INTEGER): SmsMessageRecord[] {
    return (this.s.recent.all(before, limit) as Row[]).map(messageFromRow)
  }

  /** Messages needing action (see the statement), newest first, paged like `recent`. */
  problems(limit: number, before = Number.MAX_SAFE_INTEGER): SmsMessageRecord[] {
    return (this.s.problems.all(before, limit) as Row[]).map(messageFromRow)
  }

  /** Mark an incoming message handled (once); false when it was already, or is not incoming. */
  setHandled(id: number, handled: Record<string, unknown>): boolean {
    return this.s.setHandled.run(JSON.stringify(handled), id).changes === 1
  }

  /** This number's messages since `sinceIso` that decide its lockout, oldest first. */
  lockoutHistory(
    phone: string,
    sinceIso: string,
  ): { at: string; wrong: boolean; cleared: boolean }[] {
    return (
      this.s.lockoutHistory.all(phone, sinceIso) as {
        at: string
        status: string
        cleared: number
      }[]
    ).map((r) => ({
      at: r.at,
      wrong: r.status === 'wrong_code',
      cleared: r.cleared === 1,
    }))
  }

  /** Numbers that sent a wrong code since `sinceIso`. */
  wrongCodePhones(sinceIso: string): string[] {
    return (this.s.wrongCodePhones.all(sinceIso) as { phone: string }[]).map((r) => r.phone)
  }

  /** An operator lifted the block: this number's recent wrong codes stop counting. */
  clearWrongCodes(phone: string, sinceIso: string, by: Record<string, unknown>): number {
    return this.s.clearWrongCodes.run(JSON.stringify(by), phone, sinceIso).changes
  }

  /** Each person's last incoming SMS, by user id (the chase list). */
  lastInByUser(): Map<string, SmsMessageRecord> {
    return new Map(
      (this.s.lastInByUser.all() as Row[]).map((r) => [r.user_id as string, messageFromRow(r)]),
    )
  }

  /** Numbers that are no one's, with how often and when they last wrote. */
  unknownNumbers(): { phone: string; count: number; lastAt: string; lastId: number }[] {
    return (this.s.unknown.all() as Row[]).map((r) => ({
      phone: r.phone as string,
      count: r.n as number,
      lastAt: r.last_at as string,
      lastId: r.last_id as number,
    }))
  }
}
