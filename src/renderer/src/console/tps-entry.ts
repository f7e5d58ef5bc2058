// A TPS as the console's screens hold it (types only: the entry state and tests use them without the UI).

import type { TpsRecord } from '../../../shared/api'

/** A TPS of GET /tps: the registry's record and which contests it has reported. */
export interface TpsRow extends TpsRecord {
  reported: Record<string, boolean>
}

export interface TpsEntry extends TpsRow {
  desaName: string
  kecamatan: string
  kecamatanName: string
  /** Lowercase text searched by the type-ahead. */
  hay: string
}
