import type { Migration } from './types'

// Refused submissions (a sheet with hard errors, an unknown TPS or contest, a TPS outside the
// sender's region or no longer active) are kept too, whole: who, channel, when, from where, the
// payload and its hash, and why. Their own log, not `submissions`, so that the idempotency key stays
// free: a reporter who corrects a refused sheet may resend it under the same submissionId.
export const m0080: Migration = {
  version: 80,
  name: 'refusals',
  up: `
    CREATE TABLE refusals (
      id INTEGER PRIMARY KEY,
      submission_id TEXT NOT NULL,
      actor TEXT NOT NULL,
      channel TEXT NOT NULL,
      received_at TEXT NOT NULL,
      address TEXT NOT NULL,
      tps TEXT NOT NULL,
      contest TEXT NOT NULL,
      payload TEXT NOT NULL,        -- canonical JSON of the body
      hash TEXT NOT NULL,           -- SHA-256 of payload
      status INTEGER NOT NULL,      -- the HTTP status answered
      code TEXT NOT NULL,           -- the error code answered
      fields TEXT NOT NULL          -- JSON {field: message} answered
    ) STRICT;
    CREATE INDEX refusals_by_tps ON refusals (tps, contest);
    CREATE TRIGGER refusals_append_only_update BEFORE UPDATE ON refusals
      BEGIN SELECT RAISE(ABORT, 'refusals log is append-only'); END;
    CREATE TRIGGER refusals_append_only_delete BEFORE DELETE ON refusals
      BEGIN SELECT RAISE(ABORT, 'refusals log is append-only'); END;
  `,
}
