import type { Migration } from './types'

// Core registry: settings, contests, the TPS registry, people, and the append-only audit log.
export const m0010: Migration = {
  version: 10,
  name: 'initial',
  up: `
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE contests (
      id TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      candidates TEXT NOT NULL -- JSON [{number, name}]
    ) STRICT;

    CREATE TABLE tps (
      code TEXT PRIMARY KEY,
      desa TEXT NOT NULL,
      number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
      dpt INTEGER NOT NULL CHECK (dpt BETWEEN 0 AND 1000),
      dpt_l INTEGER,
      dpt_p INTEGER,
      location TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'postponed', 'merged')),
      status_reason TEXT,
      merged_into TEXT,
      simulated INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX tps_by_desa ON tps (desa);

    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      phone TEXT NOT NULL DEFAULT '',
      role TEXT NOT NULL CHECK (role IN ('reporter', 'operator', 'supervisor', 'display')),
      region TEXT NOT NULL,
      code_id TEXT NOT NULL UNIQUE,  -- public half of the access code, for lookup and lockout
      code_hash TEXT NOT NULL,       -- scrypt of the whole code; the code itself is never stored
      simulated INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    ) STRICT;
    CREATE INDEX users_by_region ON users (region);

    CREATE TABLE audit (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT,
      detail TEXT
    ) STRICT;
    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  `,
}
