import type { Migration } from './types'

// Region boundaries for the wall board's geographic map, one layer per level. An admin imports a
// GeoJSON/TopoJSON file once; features are matched to Kemendagri codes at import and stored as
// a ready-to-draw FeatureCollection, so the board needs no file and no network at run time.
export const m0050: Migration = {
  version: 50,
  name: 'boundaries',
  up: `
    CREATE TABLE boundaries (
      level TEXT PRIMARY KEY CHECK (level IN ('kecamatan', 'desa')),
      geojson TEXT NOT NULL,          -- FeatureCollection, properties {code, name}, rings wound for d3-geo
      features INTEGER NOT NULL CHECK (features > 0),
      code_property TEXT NOT NULL,    -- the property that held the Kemendagri code in the source file
      source TEXT NOT NULL,           -- file name as given by the admin
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL
    ) STRICT;
  `,
}
