import type { Migration } from './types'

// Field intake: incident reports from reporters (the Excel export reads `incidents` as it is, so
// its shape is a contract), evidence photos of C.Hasil sheets, kecamatan officers' verification
// of a desa's results, and the idempotency keys that make a resent incident safe.
export const m0040: Migration = {
  version: 40,
  name: 'intake',
  up: `
    CREATE TABLE incidents (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      reporter TEXT NOT NULL,        -- user id or 'admin'
      region TEXT NOT NULL,          -- desa code (or the TPS's desa)
      tps TEXT,                      -- TPS code if tied to one
      category TEXT NOT NULL CHECK (category IN ('keamanan','logistik','cuaca','protes','lainnya')),
      urgency TEXT NOT NULL CHECK (urgency IN ('rendah','sedang','tinggi')),
      text TEXT NOT NULL,
      photo TEXT,                    -- file name under <dataDir>/photos
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','handled')),
      simulated INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX incidents_by_status ON incidents (status, id);

    -- A phone resends an incident until it hears back: the same (actor, submission_id) must not
    -- make a second incident.
    CREATE TABLE incident_submissions (
      actor TEXT NOT NULL,
      submission_id TEXT NOT NULL,
      incident INTEGER NOT NULL REFERENCES incidents (id),
      hash TEXT NOT NULL,            -- SHA-256 of the canonical body: a reused id with another body is refused
      PRIMARY KEY (actor, submission_id)
    ) STRICT;

    -- Evidence photos. Files are named by the SHA-256 of their content, so a resent upload lands
    -- on the same file; a row ties a file to the TPS (and contest) or desa it documents.
    CREATE TABLE photos (
      id INTEGER PRIMARY KEY,
      file TEXT NOT NULL,            -- <sha256>.<jpg|png|webp> under <dataDir>/photos
      type TEXT NOT NULL CHECK (type IN ('image/jpeg','image/png','image/webp')),
      bytes INTEGER NOT NULL,
      region TEXT NOT NULL,          -- desa code
      tps TEXT,
      contest TEXT,
      actor TEXT NOT NULL,
      at TEXT NOT NULL,
      simulated INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE UNIQUE INDEX photos_once ON photos (file, region, coalesce(tps, ''), coalesce(contest, ''));
    CREATE INDEX photos_by_tps ON photos (tps, contest);

    -- A kecamatan officer's last word on a desa: checked, or flagged with a note. \`results\` is how
    -- many results the desa had then, so later arrivals show the mark no longer covers everything.
    -- Every mark is also in the audit log.
    CREATE TABLE desa_verifications (
      desa TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('verified','flagged')),
      note TEXT,
      actor TEXT NOT NULL,
      at TEXT NOT NULL,
      results INTEGER NOT NULL
    ) STRICT;
  `,
}
