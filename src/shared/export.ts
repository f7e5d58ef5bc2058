// The export feature's wire shapes (recap workbooks, snapshots, KPU reconciliation), shared by the
// server and the /rekap screen. Messages are Indonesian and name the field.

import { z } from 'zod'

export const exportProfileSchema = z.enum(['berjenjang', 'lengkap'], {
  error: 'Profil harus berjenjang (untuk provinsi/Kemendagri) atau lengkap (untuk desk)',
})
export type ExportProfileDto = z.infer<typeof exportProfileSchema>

const threshold = z.coerce
  .number({ error: 'Ambang selisih (threshold) harus angka persen' })
  .min(0, { error: 'Ambang selisih tidak boleh negatif' })
  .max(100, { error: 'Ambang selisih paling besar 100 (persen)' })

export const recapDownloadQuerySchema = z.object({
  profile: exportProfileSchema.default('berjenjang'),
  threshold: threshold.default(1),
})

export const snapshotDownloadQuerySchema = z.object({
  profile: exportProfileSchema.default('berjenjang'),
})

export const freezeSchema = z.object({
  label: z
    .string({ error: 'Label harus teks' })
    .trim()
    .max(120, { error: 'Label paling panjang 120 karakter' })
    .default(''),
  threshold: threshold.default(1),
  /**
   * Freezing while differing reports wait for a supervisor needs the count the operator saw in the 409
   * open_conflicts answer: if more are waiting by now, the desk asks again (a yes to 3 is no yes to 30).
   */
  confirmOpenConflicts: z
    .union([z.literal(false), z.number().int().min(0).max(10_000_000)], {
      error:
        'confirmOpenConflicts harus jumlah laporan menunggu yang ditampilkan (angka openConflicts dari jawaban 409)',
    })
    .default(false),
})

export const kpuImportQuerySchema = z.object({
  contest: z.string().trim().max(40, { error: 'ID pemilihan terlalu panjang' }).optional(),
  source: z
    .string()
    .trim()
    .max(120, { error: 'Nama sumber paling panjang 120 karakter' })
    .optional(),
})

export const kpuReportQuerySchema = z.object({
  threshold: threshold.default(1),
  only: z.enum(['all', 'flagged'], { error: 'only harus all atau flagged' }).default('all'),
})

export interface SnapshotFileDto {
  profile: ExportProfileDto
  filename: string
  sha256: string
  size: number
}

export interface SnapshotDto {
  id: number
  createdAt: string
  label: string
  dataSha256: string
  /** `openConflicts`: differing reports/corrections waiting for a supervisor when it was frozen. */
  summary: { contest: string; reported: number; expected: number; openConflicts?: number }[]
  files: SnapshotFileDto[]
}

export interface SnapshotVerifyDto {
  id: number
  files: { profile: string; sha256: string; rebuiltSha256: string; identical: boolean }[]
}

export interface KpuImportDto {
  id: number
  at: string
  source: string
  format: 'baris' | 'dhasil'
  level: 'tps' | 'desa' | 'kecamatan'
  contests: string[]
  rows: number
  sha256: string
}

export type ReconcileStatusDto = 'cocok' | 'dalam_ambang' | 'selisih' | 'belum_lengkap'

export interface ReconcileRowDto {
  code: string
  name: string
  /** The kecamatan of a desa or TPS (its name), for reading the list. */
  kecamatan: string | null
  tpsTotal: number
  tpsReported: number
  /** `1`, `2`, … (pair number), `sah`, `tidak_sah`, `jumlah` */
  line: string
  label: string
  desk: number
  kpu: number
  /** desk − KPU */
  diff: number
  /** |diff| as a percentage of KPU's figure; null when KPU's figure is 0. */
  diffPercent: number | null
  status: ReconcileStatusDto
}

export interface ReconcileContestDto {
  contest: string
  name: string
  /** The level KPU's file came in at. */
  level: 'tps' | 'desa' | 'kecamatan'
  importId: number
  importedAt: string
  source: string
  /** Regions in KPU's figures. */
  regions: number
  /** Regions of that level the desk knows but KPU's figures do not have. */
  regionsWithoutKpu: number
  flaggedRegions: number
  incompleteRegions: number
  totals: { line: string; label: string; desk: number; kpu: number; diff: number }[]
  /** All rows, or only the flagged ones (`only=flagged`). */
  rows: ReconcileRowDto[]
  rowsTotal: number
}

export interface ReconcileReportDto {
  asOf: string
  thresholdPercent: number
  contests: ReconcileContestDto[]
}
