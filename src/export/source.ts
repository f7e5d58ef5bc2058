// What a recap workbook is built from: plain, JSON-serialisable data collected from the desk at one
// moment. A frozen snapshot stores exactly this object, so the same workbook can be rebuilt and
// checked byte for byte. Builders take it and return bytes; they never read the database or files.

import { createHash } from 'node:crypto'

export const EXPORT_PROFILES = ['berjenjang', 'lengkap'] as const
/** `berjenjang`: sent up to the province and the ministry, without reporters' names or phone numbers. `lengkap`: the desk's own copy. */
export type ExportProfile = (typeof EXPORT_PROFILES)[number]

export interface SourcePerson {
  name: string
  phone: string
}

export interface SourceCandidate {
  number: number
  name: string
}

export interface SourceContest {
  id: string
  name: string
  candidates: SourceCandidate[]
  /** Differing second reports waiting for a supervisor: not counted until decided. */
  openConflicts: number
  /** TPS with a differing report or a correction waiting for a supervisor (format 2). */
  disputes?: SourceDispute[]
}

export interface SourceDispute {
  tps: string
  /** `conflict`: a differing second report; `correction`: an operator's correction held for review. */
  kind: 'conflict' | 'correction'
}

export interface SourceRegion {
  code: string
  name: string
}

export interface SourceDesa extends SourceRegion {
  kecamatan: string
}

export interface SourceTps {
  code: string
  desa: string
  number: number
  dpt: number
  /** DPT by sex, where the registry has them (format 2). */
  dptL?: number | null
  dptP?: number | null
  status: 'active' | 'postponed' | 'merged'
  /** Why it was postponed or merged. */
  reason: string | null
  mergedInto: string | null
}

/** Voters who used their right, from form C.Hasil: DPT, DPTb, DPK and their total. */
export type VotersUsed = [dpt: number, dptb: number, dpk: number, total: number]

export interface SourceResult {
  tps: string
  /** Votes in the order of the contest's candidates. */
  votes: number[]
  valid: number
  invalid: number
  /** valid + invalid */
  total: number
  voters: VotersUsed | null
  receivedAt: string
  channel: string
  review: 'none' | 'flagged' | 'confirmed'
  /** The account that sent it. */
  reporter: SourcePerson | null
  /** For a result taken by phone: who called. */
  caller: SourcePerson | null
}

export interface SourceReporter extends SourcePerson {
  /** The desa or kecamatan this reporter covers. */
  region: string
}

export interface SourceIncident {
  id: number
  at: string
  region: string
  tps: string | null
  category: string
  urgency: string
  text: string
  photo: boolean
  status: string
  simulated: boolean
  reporter: SourcePerson | null
}

export type KpuLevel = 'tps' | 'desa' | 'kecamatan'

export interface KpuFigure {
  /** TPS, desa or kecamatan code, by the set's level. */
  region: string
  /** In the order of the contest's candidates. */
  votes: number[]
  valid: number
  invalid: number
}

/** KPU's figures for one contest: those of the latest import that carried this contest. */
export interface KpuSet {
  contest: string
  importId: number
  importedAt: string
  source: string
  level: KpuLevel
  figures: KpuFigure[]
}

export interface KpuSource {
  /** A difference above this share of KPU's figure is flagged. */
  thresholdPercent: number
  sets: KpuSet[]
}

/**
 * 1: the first workbooks (SheetJS, unstyled); 2: styled and printable, with disputes and DPT by sex.
 * A snapshot is rebuilt only by the builder of its own format.
 */
export const SOURCE_FORMAT = 2

export interface RecapSource {
  format: 1 | 2
  generatedAt: string
  desk: {
    regency: SourceRegion
    election: { name: string; date: string }
    training: boolean
  }
  contests: SourceContest[]
  /** In code order. */
  kecamatan: SourceRegion[]
  /** In code order. */
  desa: SourceDesa[]
  /** Every TPS of the registry, in code order. */
  tps: SourceTps[]
  /** Per contest id, the standing result of each reported TPS. */
  results: Record<string, SourceResult[]>
  reporters: SourceReporter[]
  /** null when the desk has no incident log. */
  incidents: SourceIncident[] | null
  kpu: KpuSource | null
}

/** Shown in the Catatan sheet of a frozen workbook. */
export interface SnapshotLabel {
  id: number
  label: string
  frozenAt: string
}

/**
 * SHA-256 of the data (everything but the moment it was collected), so two exports of unchanged
 * data carry the same fingerprint and a changed figure anywhere changes it.
 */
export function dataSha256(source: RecapSource): string {
  const { generatedAt: _generatedAt, ...content } = source
  return createHash('sha256').update(JSON.stringify(content)).digest('hex')
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
