import type { Migration } from './types'

// The operator console: calls made while chasing reporters (shared by every operator, so nobody
// calls the same person twice), double-entry drafts of phoned-in sheets (held until a second
// operator re-keys them blind), and the review decisions of supervisors (append-only: a decision
// is never edited, a later one supersedes it).
export const m0070: Migration = {
  version: 70,
  name: 'console',
  up: `
    CREATE TABLE chase_calls (
      id INTEGER PRIMARY KEY,
      reporter TEXT NOT NULL REFERENCES users (id),
      actor TEXT NOT NULL,
      at TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'other')),
      note TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX chase_calls_by_reporter ON chase_calls (reporter, id);
    CREATE TRIGGER chase_calls_append_only_update BEFORE UPDATE ON chase_calls
      BEGIN SELECT RAISE(ABORT, 'chase calls are append-only'); END;
    CREATE TRIGGER chase_calls_append_only_delete BEFORE DELETE ON chase_calls
      BEGIN SELECT RAISE(ABORT, 'chase calls are append-only'); END;

    CREATE TABLE entry_drafts (
      id INTEGER PRIMARY KEY,
      tps TEXT NOT NULL,
      contest TEXT NOT NULL,
      first_actor TEXT NOT NULL,
      payload TEXT NOT NULL,          -- JSON {votes, invalid, voters?, caller, note?} as keyed first
      created_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'mismatch', 'saved', 'cancelled')),
      attempts INTEGER NOT NULL DEFAULT 0,
      mismatch TEXT,                  -- JSON list of fields that differed at the last attempt
      closed_at TEXT,
      closed_by TEXT,
      close_reason TEXT,
      submission_seq INTEGER REFERENCES submissions (seq)
    ) STRICT;
    CREATE INDEX entry_drafts_open ON entry_drafts (status, id);
    CREATE INDEX entry_drafts_by_tps ON entry_drafts (tps, id);

    CREATE TABLE review_decisions (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      tps TEXT NOT NULL,
      contest TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('conflict', 'flag')),
      conflict_id INTEGER REFERENCES conflicts (id),
      action TEXT NOT NULL CHECK (action IN ('standing', 'new', 'corrected', 'confirm', 'correct')),
      reason TEXT NOT NULL,
      before_seq INTEGER REFERENCES submissions (seq),
      after_seq INTEGER REFERENCES submissions (seq)
    ) STRICT;
    CREATE INDEX review_decisions_by_tps ON review_decisions (tps, id);
    CREATE TRIGGER review_decisions_append_only_update BEFORE UPDATE ON review_decisions
      BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
    CREATE TRIGGER review_decisions_append_only_delete BEFORE DELETE ON review_decisions
      BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;

    -- The chase list asks "when did this reporter last send anything"; the TPS history asks
    -- "what happened to this TPS" of the audit log.
    CREATE INDEX submissions_by_actor ON submissions (actor, seq);
    CREATE INDEX audit_by_target ON audit (target);
    CREATE INDEX results_by_review ON results (review);
  `,
}
