import type { Migration } from './types'

// A call to a kecamatan officer is about one desa (the row of the chase list it was made from):
// without it, the officer's call showed on every desa row of the kecamatan as if each had been
// chased. NULL for calls logged before, and for calls not made from a row.
export const m0160: Migration = {
  version: 160,
  name: 'chase-call-desa',
  up: `
    ALTER TABLE chase_calls ADD COLUMN desa TEXT;  -- Kemendagri code of the desa the call was about
  `,
}
