import type { Migration } from './types'

// A kecamatan's conflicts may be given to one supervisor, so that at 124 open conflicts two
// supervisors do not work the same TPS and each knows which ones are theirs. One row per
// kecamatan; removing the assignment deletes the row (who changed it is in the audit log).
export const m0090: Migration = {
  version: 90,
  name: 'review-assignments',
  up: `
    CREATE TABLE review_assignments (
      kecamatan TEXT PRIMARY KEY,       -- Kemendagri code of the kecamatan (35.09.01)
      supervisor TEXT NOT NULL,         -- users.id of the supervisor
      assigned_by TEXT NOT NULL,        -- who assigned (a user id or 'admin')
      assigned_at TEXT NOT NULL
    ) STRICT;
  `,
}
