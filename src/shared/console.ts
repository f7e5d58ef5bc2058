// The operator console's part of API v1: request schemas (validated on the server, typed for the
// UI) and answer shapes. Messages are Indonesian and name the field.

import { z } from 'zod'
import { resultSheetSchema } from './schemas'

const reason = (what: string) =>
  z
    .string({ error: `Alasan ${what} wajib diisi` })
    .trim()
    .min(5, { error: `Alasan ${what} wajib ditulis (minimal 5 karakter)` })
    .max(1000, { error: 'Alasan paling panjang 1000 karakter' })

/** A result sheet as keyed by an operator; numbers are checked by the C.Hasil rules, not here. */
export const sheetSchema = resultSheetSchema
export type SheetInput = z.infer<typeof sheetSchema>

export const resolveConflictSchema = z
  .object({
    keep: z.enum(['standing', 'new', 'corrected'], {
      error: 'Pilihan (keep) harus standing, new atau corrected',
    }),
    reason: reason('keputusan'),
    sheet: sheetSchema.optional(),
  })
  .refine((v) => v.keep !== 'corrected' || !!v.sheet, {
    path: ['sheet'],
    error: 'Lembar koreksi (sheet) wajib diisi untuk pilihan corrected',
  })
export type ResolveConflict = z.infer<typeof resolveConflictSchema>

export const reviewResultSchema = z
  .object({
    action: z.enum(['confirm', 'correct'], {
      error: 'Tindakan (action) harus confirm atau correct',
    }),
    reason: reason('keputusan'),
    sheet: sheetSchema.optional(),
  })
  .refine((v) => v.action !== 'correct' || !!v.sheet, {
    path: ['sheet'],
    error: 'Lembar koreksi (sheet) wajib diisi untuk tindakan correct',
  })
export type ReviewResult = z.infer<typeof reviewResultSchema>

export const reviewAssignmentSchema = z.object({
  supervisor: z
    .string({ error: 'Supervisor wajib dipilih (id pengguna, atau null untuk melepas penugasan)' })
    .max(60, { error: 'Id supervisor terlalu panjang' })
    .nullable(),
})

/** GET /conflicts filters: all optional; `q` searches TPS code, desa, kecamatan and reporter. */
export const conflictQuerySchema = z.object({
  status: z
    .enum(['open', 'resolved'], { error: 'status harus open atau resolved' })
    .default('open'),
  kecamatan: z
    .string()
    .regex(/^\d{2}\.\d{2}\.\d{2}$/, { error: 'kecamatan harus kode kecamatan, mis. 35.09.01' })
    .optional(),
  contest: z.string().max(40, { error: 'contest terlalu panjang' }).optional(),
  kind: z
    .enum(['conflict', 'correction'], { error: 'kind harus conflict atau correction' })
    .optional(),
  q: z.string().max(100, { error: 'Pencarian (q) paling panjang 100 karakter' }).optional(),
  assigned: z.string().max(60, { error: 'assigned terlalu panjang' }).optional(),
})
export type ConflictQuery = z.infer<typeof conflictQuerySchema>

export const CALL_OUTCOMES = ['reached', 'no_answer', 'other'] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]

export const chaseCallSchema = z.object({
  // Never defaulted: a call logged as "tersambung" that was not misleads the next operator.
  outcome: z.enum(CALL_OUTCOMES, {
    error: (iss) =>
      iss.input === undefined
        ? 'Hasil panggilan wajib dipilih (reached, no_answer atau other)'
        : 'Hasil panggilan harus reached, no_answer atau other',
  }),
  note: z
    .string({ error: 'Catatan harus teks' })
    .trim()
    .max(500, { error: 'Catatan paling panjang 500 karakter' })
    .default(''),
  /** The desa the call was about (the chase list's row): a kecamatan officer answers for several. */
  desa: z
    .string({ error: 'desa harus kode desa' })
    .regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, { error: 'desa harus kode desa, mis. 35.09.01.2001' })
    .optional(),
})

const callerSchema = z.object(
  {
    name: z
      .string({ error: 'Nama penelepon wajib diisi' })
      .trim()
      .min(1, { error: 'Nama penelepon wajib diisi' })
      .max(120, { error: 'Nama penelepon paling panjang 120 karakter' }),
    phone: z
      .string()
      .trim()
      .max(30, { error: 'Nomor HP penelepon paling panjang 30 karakter' })
      .optional(),
  },
  { error: 'Penelepon (caller) wajib diisi' },
)

export const draftCreateSchema = sheetSchema.extend({
  tps: z.string({ error: 'Kode TPS wajib diisi' }).max(40, { error: 'Kode TPS terlalu panjang' }),
  contest: z
    .string({ error: 'Pemilihan (contest) wajib diisi' })
    .max(40, { error: 'ID pemilihan terlalu panjang' }),
  caller: callerSchema,
  note: z.string().max(1000, { error: 'Catatan paling panjang 1000 karakter' }).optional(),
})
export type DraftCreate = z.infer<typeof draftCreateSchema>

export const draftCancelSchema = z.object({ reason: reason('pembatalan') })

// ------------------------------------------------------------------ answers

export interface ActorDto {
  id: string
  name: string
  /** A user's role, `admin`/`system` for the desk itself, or REMOVED_SIMULATED_ROLE. */
  role: string
}

/**
 * The role of an actor whose account the purge of simulated data removed (its submissions stay in
 * the append-only log; `name` is then the old id). Screens show it as "akun simulasi (dihapus)".
 */
export const REMOVED_SIMULATED_ROLE = 'simulated_removed'

export interface TpsInfoDto {
  code: string
  number: number
  desa: string
  desaName: string
  kecamatan: string
  kecamatanName: string
  dpt: number
  status: 'active' | 'postponed' | 'merged'
  statusReason: string | null
  mergedInto: string | null
}

export interface IssueDto {
  field: string
  code: string
  message: string
}

export interface SheetDto {
  votes: Record<string, number>
  invalid: number
  voters?: { dpt: number; dptb: number; dpk: number }
}

export interface SubmissionViewDto {
  seq: number
  submissionId: string
  at: string
  actor: ActorDto
  /** The sender's phone number, to call back (staff views only: the answer of operator+ routes). */
  actorPhone: string | null
  channel: string
  address: string
  outcome: 'accepted' | 'duplicate' | 'conflict'
  receipt: string | null
  sheet: SheetDto
  valid: number
  total: number
  warnings: IssueDto[]
  caller: { name: string; phone?: string } | null
  note: string | null
  correctionReason: string | null
}

export interface ArrivalDto {
  seq: number
  at: string
  tps: TpsInfoDto | null
  tpsCode: string
  contest: string
  channel: string
  outcome: SubmissionViewDto['outcome']
  actor: ActorDto
}

export interface ConsoleSummaryDto {
  asOf: string
  openConflicts: number
  flagged: number
  draftsWaiting: number
  reportersMissing: number
  recent: ArrivalDto[]
}

export interface ChaseCallDto {
  id: number
  at: string
  actor: ActorDto
  outcome: CallOutcome
  note: string
  /** The desa the call was about, when known (a kecamatan officer answers for several). */
  desa?: { code: string; name: string }
}

/** Someone else who can be called about a row's TPS: the kecamatan officer of its desa. */
export interface ChaseContactDto {
  id: string
  name: string
  phone: string
  lastCall: ChaseCallDto | null
}

export interface ChaseRowDto {
  /** Unique per row: a kecamatan officer may be the one to call for several desa. */
  key: string
  /** The person to call first: the desa's reporter, or the kecamatan officer where the desa has none. */
  reporter: {
    id: string
    name: string
    phone: string
    region: string
    regionName: string
    level: 'desa' | 'kecamatan'
  }
  /** The desa whose TPS are missing. */
  desa: string
  desaName: string
  kecamatan: string
  kecamatanName: string
  /** Second people to call: the kecamatan officers of this desa (never the same as `reporter`). */
  alsoCall: ChaseContactDto[]
  /** Per contest: expected (active) TPS of the reporter's region and how many have a result. */
  contests: Record<string, { expected: number; reported: number }>
  missing: number
  lastReportAt: string | null
  lastCall: ChaseCallDto | null
  calls: number
  /** The reporter's last SMS to the desk and what became of it (issue 15); absent when none. */
  lastSms?: { at: string; status: string }
}

export interface ChaseDto {
  asOf: string
  rows: ChaseRowDto[]
  /** Desa reporters whose every TPS has a result in every contest. */
  complete: number
  /** Desa with missing TPS and nobody (desa reporter or kecamatan officer) to chase. */
  unassigned: { code: string; name: string; kecamatanName: string; missing: number }[]
}

export interface ConflictDto {
  id: number
  tps: TpsInfoDto
  contest: string
  kind: 'conflict' | 'correction'
  createdAt: string
  status: 'open' | 'resolved'
  /** The submission the current result stands on. */
  standing: SubmissionViewDto | null
  incoming: SubmissionViewDto
  /** Field paths whose values differ between the two ("votes.2", "invalid", "voters.dpt"). */
  differences: string[]
  photos: PhotoRefDto[]
  verification: VerificationDto | null
  resolution?: { keep: string; reason: string; at: string; actor: ActorDto } | null
  /** The supervisor this conflict's kecamatan is assigned to, if any. */
  assignedTo: ActorDto | null
}

export interface ReviewAssignmentDto {
  kecamatan: string
  kecamatanName: string
  supervisor: ActorDto
  assignedBy: ActorDto
  at: string
}

export interface ReviewAssignmentsDto {
  assignments: ReviewAssignmentDto[]
  /** Supervisors who can be assigned (active accounts). */
  supervisors: ActorDto[]
  /** Every kecamatan of the regency, to assign. */
  kecamatan: { code: string; name: string }[]
}

export interface PhotoRefDto {
  url: string
  label: string
}

export interface VerificationDto {
  status: string
  note: string | null
  at: string | null
  actor: ActorDto | null
}

export interface FlagDto {
  tps: TpsInfoDto
  contest: string
  result: SheetDto & { valid: number; total: number; acceptedAt: string; updatedAt: string }
  warnings: IssueDto[]
  submission: SubmissionViewDto | null
  photos: PhotoRefDto[]
  verification: VerificationDto | null
}

export interface DecisionAnswer {
  decisionId: number
  tps: string
  contest: string
  /** True when the standing result changed (recap and board move). */
  changed: boolean
  result: SheetDto & { valid: number; total: number; review: string; warnings: IssueDto[] }
}

export interface HistoryEntryDto {
  at: string
  kind: 'submission' | 'decision' | 'draft' | 'audit'
  contest: string | null
  actor: ActorDto
  /** What happened, short: "diterima", "konflik #3", "keputusan: pakai laporan baru"… */
  action: string
  channel?: string
  sheet?: SheetDto
  receipt?: string | null
  caller?: { name: string; phone?: string } | null
  reason?: string | null
  detail?: unknown
  seq?: number
}

export interface TpsHistoryDto {
  tps: TpsInfoDto
  results: {
    contest: string
    sheet: SheetDto
    valid: number
    total: number
    review: string
    updatedAt: string
  }[]
  openConflicts: number[]
  entries: HistoryEntryDto[]
}

export interface DraftDto {
  id: number
  tps: TpsInfoDto
  contest: string
  caller: { name: string; phone?: string }
  firstActor: ActorDto
  createdAt: string
  status: 'waiting' | 'mismatch' | 'saved' | 'cancelled'
  attempts: number
  mismatch: string[]
}

export interface LanAddressDto {
  interface: string
  address: string
  url: string
  laporUrl: string
  papanUrl: string
  /** data: URLs of QR code images (SVG) for the reporter form and the wall board. */
  laporQr: string
  papanQr: string
}

export interface LanDto {
  host: string
  port: number
  /** False when the desk listens on loopback only: phones cannot reach it. */
  reachable: boolean
  addresses: LanAddressDto[]
  connected: { boards: number; consoles: number; byRole: Record<string, number> }
  /** Reporters who sent something in the last 15 minutes (phones do not hold a live stream). */
  activeReporters: number
  discovery: {
    enabled: boolean
    advertising: boolean
    name: string | null
    type: string
    error: string | null
    peers: { name: string; host: string; port: number; addresses: string[] }[]
  }
}
