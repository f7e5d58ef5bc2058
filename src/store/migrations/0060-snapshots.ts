import type { Migration } from './types'

// The recap as it was sent up: frozen snapshots (the data and each profile's workbook, with their
// SHA-256) that can never change, so a file the province received can be checked byte for byte.
// And KPU's official figures as imported, kept per import, for the difference report.
export const m0060: Migration = {
  version: 60,
  name: 'snapshots',
  up: `
    CREATE TABLE snapshots (
      id INTEGER PRIMARY KEY,
      created_at TEXT NOT NULL,
      actor TEXT NOT NULL,
      label TEXT NOT NULL,
      data_sha256 TEXT NOT NULL,     -- fingerprint of the data (shown in the workbook's Catatan)
      data BLOB NOT NULL,            -- gzip of the JSON the workbooks were built from
      summary TEXT NOT NULL          -- JSON [{contest, reported, expected}]
    ) STRICT;

    CREATE TABLE snapshot_files (
      snapshot INTEGER NOT NULL REFERENCES snapshots (id),
      profile TEXT NOT NULL CHECK (profile IN ('berjenjang', 'lengkap')),
      filename TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      size INTEGER NOT NULL,
      bytes BLOB NOT NULL,
      PRIMARY KEY (snapshot, profile)
    ) STRICT;

    CREATE TRIGGER snapshots_frozen_update BEFORE UPDATE ON snapshots
      BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    CREATE TRIGGER snapshots_frozen_delete BEFORE DELETE ON snapshots
      BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    CREATE TRIGGER snapshot_files_frozen_update BEFORE UPDATE ON snapshot_files
      BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    CREATE TRIGGER snapshot_files_frozen_delete BEFORE DELETE ON snapshot_files
      BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;

    CREATE TABLE kpu_imports (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      source TEXT NOT NULL,          -- what the operator called it: file name, "Sirekap 21.00"
      format TEXT NOT NULL CHECK (format IN ('baris', 'dhasil')),
      level TEXT NOT NULL CHECK (level IN ('tps', 'desa', 'kecamatan')),
      contests TEXT NOT NULL,        -- JSON [contest id]
      rows INTEGER NOT NULL,
      sha256 TEXT NOT NULL           -- of the uploaded file
    ) STRICT;

    CREATE TABLE kpu_figures (
      import INTEGER NOT NULL REFERENCES kpu_imports (id),
      contest TEXT NOT NULL,
      region TEXT NOT NULL,
      votes TEXT NOT NULL,           -- JSON {"1": n, …}
      valid INTEGER NOT NULL,
      invalid INTEGER NOT NULL,
      PRIMARY KEY (import, contest, region)
    ) STRICT;

    CREATE TRIGGER kpu_imports_append_only_update BEFORE UPDATE ON kpu_imports
      BEGIN SELECT RAISE(ABORT, 'KPU imports are kept as imported'); END;
    CREATE TRIGGER kpu_imports_append_only_delete BEFORE DELETE ON kpu_imports
      BEGIN SELECT RAISE(ABORT, 'KPU imports are kept as imported'); END;
    CREATE TRIGGER kpu_figures_append_only_update BEFORE UPDATE ON kpu_figures
      BEGIN SELECT RAISE(ABORT, 'KPU imports are kept as imported'); END;
    CREATE TRIGGER kpu_figures_append_only_delete BEFORE DELETE ON kpu_figures
      BEGIN SELECT RAISE(ABORT, 'KPU imports are kept as imported'); END;
  `,
}
