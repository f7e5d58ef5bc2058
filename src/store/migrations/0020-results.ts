import type { Migration } from './types'

// The write path: every submission appended to an immutable log first; the current result per
// TPS+contest derived from it; a differing second report held as a conflict, never overwriting.
export const m0020: Migration = {
  version: 20,
  name: 'results',
  up: `
    CREATE TABLE submissions (
      seq INTEGER PRIMARY KEY,
      submission_id TEXT NOT NULL,
      actor TEXT NOT NULL,          -- user id, or 'admin'
      channel TEXT NOT NULL,        -- web, api, telepon, simulasi
      received_at TEXT NOT NULL,
      address TEXT NOT NULL,
      tps TEXT NOT NULL,
      contest TEXT NOT NULL,
      payload TEXT NOT NULL,        -- canonical JSON of the body
      hash TEXT NOT NULL,           -- SHA-256 of payload
      outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'conflict')),
      answer TEXT NOT NULL          -- JSON of the answer, replayed for a retry
    ) STRICT;
    CREATE UNIQUE INDEX submissions_idempotency ON submissions (actor, submission_id);
    CREATE INDEX submissions_by_tps ON submissions (tps, contest);
    CREATE TRIGGER submissions_append_only_update BEFORE UPDATE ON submissions
      BEGIN SELECT RAISE(ABORT, 'submissions log is append-only'); END;
    CREATE TRIGGER submissions_append_only_delete BEFORE DELETE ON submissions
      BEGIN SELECT RAISE(ABORT, 'submissions log is append-only'); END;

    CREATE TABLE results (
      tps TEXT NOT NULL,
      contest TEXT NOT NULL,
      submission_seq INTEGER NOT NULL REFERENCES submissions (seq),
      votes TEXT NOT NULL,          -- JSON {"1": n, …}
      valid INTEGER NOT NULL,
      invalid INTEGER NOT NULL,
      total INTEGER NOT NULL,
      voters_dpt INTEGER,
      voters_dptb INTEGER,
      voters_dpk INTEGER,
      voters_total INTEGER,
      warnings TEXT NOT NULL DEFAULT '[]',
      review TEXT NOT NULL DEFAULT 'none' CHECK (review IN ('none', 'flagged', 'confirmed')),
      accepted_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (tps, contest)
    ) STRICT;
    CREATE INDEX results_by_contest ON results (contest);

    CREATE TABLE conflicts (
      id INTEGER PRIMARY KEY,
      tps TEXT NOT NULL,
      contest TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('conflict', 'correction')),
      submission_seq INTEGER NOT NULL REFERENCES submissions (seq),
      standing_seq INTEGER NOT NULL REFERENCES submissions (seq),
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
      created_at TEXT NOT NULL,
      resolved_at TEXT,
      resolved_by TEXT,
      resolution TEXT,
      reason TEXT
    ) STRICT;
    CREATE INDEX conflicts_open ON conflicts (status, tps, contest);
  `,
}
