// Shapes of what crosses the wire, as zod schemas that also give the TypeScript types. The server
// validates every request body with these; the UI uses the same types. Messages are Indonesian.

import { z } from 'zod'
import { INCIDENT_CATEGORIES, INCIDENT_URGENCIES } from './api'

// Every message a user may see is Indonesian, including zod's own for checks without a message of ours.
z.config(z.locales.id())

export const ROLES = ['reporter', 'operator', 'supervisor', 'display'] as const
export type Role = (typeof ROLES)[number]
export type PrincipalRole = Role | 'admin'

/** A client-chosen idempotency key: a retry with the same one is answered, never counted twice. */
const submissionIdSchema = z
  .string({ error: 'submissionId wajib diisi (teks)' })
  .min(1, { error: 'submissionId wajib diisi' })
  .max(100, { error: 'submissionId paling panjang 100 karakter' })
  .regex(/^[A-Za-z0-9._:-]+$/, {
    error: 'submissionId hanya boleh huruf, angka, titik, titik dua, minus, garis bawah',
  })

/**
 * A count on the C.Hasil sheet as it may arrive: a number, or digits (a form field's text), or
 * null (left empty, which the sheet check names). Anything else is refused here, at the edge,
 * before it is logged: a 255,000-character "vote" once went whole into the refusals log.
 * Whether the number is a whole count in range is the sheet check's to say, naming the field.
 */
const MAX_COUNT_DIGITS = 7
const countSchema = (label: string) =>
  z.union(
    [
      z.number().min(-1e9).max(1e9),
      z
        .string()
        .trim()
        .regex(new RegExp(`^\\d{1,${MAX_COUNT_DIGITS}}$`))
        .transform(Number),
      z.null(),
      // JSON never holds undefined; in-process callers may leave a key so.
      z.undefined(),
    ],
    { error: `${label} harus angka (paling banyak ${MAX_COUNT_DIGITS} digit)` },
  )

/** The C.Hasil numbers of one TPS and contest; their arithmetic is checked by the domain, which names each field. */
export const resultSheetSchema = z.object({
  votes: z.record(
    z.string().regex(/^\d{1,2}$/, { error: 'Nomor paslon harus angka' }),
    countSchema('Suara paslon'),
    { error: 'Suara per paslon (votes) wajib diisi' },
  ),
  invalid: countSchema('Suara tidak sah').optional(),
  voters: z
    .object(
      {
        dpt: countSchema('Pengguna hak pilih DPT').optional(),
        dptb: countSchema('Pengguna hak pilih DPTb').optional(),
        dpk: countSchema('Pengguna hak pilih DPK').optional(),
        total: countSchema('Jumlah pengguna hak pilih').optional(),
      },
      { error: 'Pengguna hak pilih (voters) harus berisi dpt, dptb dan dpk' },
    )
    .optional(),
})

export const resultSubmissionSchema = resultSheetSchema.extend({
  submissionId: submissionIdSchema,
  tps: z.string({ error: 'Kode TPS wajib diisi' }).max(40, { error: 'Kode TPS terlalu panjang' }),
  contest: z
    .string({ error: 'Pemilihan (contest) wajib diisi' })
    .max(40, { error: 'ID pemilihan terlalu panjang' }),
  note: z.string().max(1000, { error: 'Catatan paling panjang 1000 karakter' }).optional(),
  /** A reporter's deliberate correction of their own earlier report: held for a supervisor. */
  correction: z
    .object({
      reason: z.string().trim().min(5, { error: 'Alasan koreksi minimal 5 karakter' }).max(1000),
    })
    .optional(),
  /** For results taken by phone: who called. */
  caller: z
    .object({
      name: z.string().trim().min(1).max(120),
      phone: z.string().trim().max(30).optional(),
    })
    .optional(),
})
export type ResultSubmission = z.infer<typeof resultSubmissionSchema>

export const candidateSchema = z.object({
  number: z
    .number({ error: 'Nomor urut paslon harus angka' })
    .int({ error: 'Nomor urut paslon harus bilangan bulat' }),
  name: z
    .string({ error: 'Nama paslon wajib diisi' })
    .max(200, { error: 'Nama paslon terlalu panjang' }),
})

export const contestSchema = z.object({
  id: z
    .string({ error: 'ID pemilihan wajib diisi' })
    .max(32, { error: 'ID pemilihan paling panjang 32 karakter' }),
  name: z
    .string({ error: 'Nama pemilihan wajib diisi' })
    .max(200, { error: 'Nama pemilihan terlalu panjang' }),
  candidates: z.array(candidateSchema, { error: 'Daftar paslon wajib diisi' }).max(20),
})

export const contestsUpdateSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  contests: z.array(contestSchema, { error: 'Daftar pemilihan (contests) wajib diisi' }).max(10),
})

export const userCreateSchema = z.object({
  name: z
    .string({ error: 'Nama wajib diisi' })
    .trim()
    .min(1, { error: 'Nama wajib diisi' })
    .max(120, { error: 'Nama paling panjang 120 karakter' }),
  phone: z
    .string()
    .trim()
    .max(30, { error: 'Nomor HP paling panjang 30 karakter' })
    .regex(/^\+?[0-9 ()-]*$/, { error: 'Nomor HP hanya boleh angka, spasi, +, -, ( dan )' })
    .optional()
    .default(''),
  role: z.enum(ROLES, { error: `Peran harus salah satu dari: ${ROLES.join(', ')}` }),
  region: z.string().max(20, { error: 'Kode wilayah terlalu panjang' }).optional(),
})
export type UserCreate = z.infer<typeof userCreateSchema>

export const tpsStatusSchema = z
  .object({
    status: z.enum(['active', 'postponed', 'merged'], {
      error: 'Status harus active, postponed atau merged',
    }),
    reason: z.string().trim().max(500, { error: 'Alasan paling panjang 500 karakter' }).optional(),
    mergedInto: z.string().max(40).optional(),
    /** Yes, the TPS has results: take them out of the recap and progress (kept, back if it is active again). */
    confirmResults: z.boolean({ error: 'confirmResults harus true atau false' }).optional(),
  })
  .refine((v) => v.status === 'active' || (v.reason !== undefined && v.reason.length >= 5), {
    path: ['reason'],
    error: 'Alasan wajib diisi (minimal 5 karakter) untuk TPS yang ditunda atau digabung',
  })
  .refine((v) => v.status !== 'merged' || !!v.mergedInto, {
    path: ['mergedInto'],
    error: 'TPS tujuan penggabungan (mergedInto) wajib diisi',
  })

export const recapQuerySchema = z.object({
  contest: z.string({ error: 'Parameter contest wajib diisi' }),
  level: z.enum(['kabupaten', 'kecamatan', 'desa', 'tps'], {
    error: 'Parameter level harus kabupaten, kecamatan, desa atau tps',
  }),
  parent: z.string().max(20).optional(),
})

/** zod issues → `{ "votes.2": "Suara paslon 2 …" }`, the `fields` of an error answer. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_'
    if (!(key in fields)) fields[key] = issue.message
  }
  return fields
}

// ---------------------------------------------------------------- field intake (issue 4)

// The lists live in api.ts (no zod) so the light reporter bundle can use them without zod.
export {
  INCIDENT_CATEGORIES,
  INCIDENT_CATEGORY_LABELS,
  INCIDENT_URGENCIES,
  INCIDENT_URGENCY_LABELS,
} from './api'
export type { IncidentCategory, IncidentUrgency } from './api'

export const signInSchema = z.object({
  accessCode: z
    .string({ error: 'Kode akses wajib diisi' })
    .trim()
    .min(1, { error: 'Kode akses wajib diisi' })
    .max(100, { error: 'Kode akses terlalu panjang' }),
})

const windowMoment = (label: string) =>
  z.iso
    .datetime({
      offset: true,
      error: `${label} harus tanggal dan jam ISO dengan zona waktu, mis. 2024-11-27T12:00:00+07:00`,
    })
    .nullable()

export const signInWindowSchema = z
  .object({
    opensAt: windowMoment('Jam buka (opensAt)'),
    closesAt: windowMoment('Jam tutup (closesAt)'),
  })
  .refine((w) => !w.opensAt || !w.closesAt || Date.parse(w.opensAt) < Date.parse(w.closesAt), {
    path: ['closesAt'],
    error: 'Jam tutup harus sesudah jam buka',
  })
export type SignInWindow = z.infer<typeof signInWindowSchema>

export const incidentCreateSchema = z.object({
  submissionId: submissionIdSchema.optional(),
  tps: z.string().max(40, { error: 'Kode TPS terlalu panjang' }).optional(),
  region: z.string().max(20, { error: 'Kode desa terlalu panjang' }).optional(),
  category: z.enum(INCIDENT_CATEGORIES, {
    error: `Jenis kejadian harus salah satu dari: ${INCIDENT_CATEGORIES.join(', ')}`,
  }),
  urgency: z.enum(INCIDENT_URGENCIES, {
    error: 'Tingkat urgensi harus rendah, sedang atau tinggi',
  }),
  text: z
    .string({ error: 'Uraian kejadian wajib diisi' })
    .trim()
    .min(3, { error: 'Uraian kejadian wajib diisi (minimal 3 karakter)' })
    .max(2000, { error: 'Uraian kejadian paling panjang 2000 karakter' }),
  photo: z
    .string()
    .regex(/^[a-f0-9]{64}\.(jpg|png|webp)$/, { error: 'Nama foto tidak sah' })
    .optional(),
})
export type IncidentCreate = z.infer<typeof incidentCreateSchema>

/** POST /incidents/:id/photo: a photo sent later (first refused, e.g. for the quota) joins its incident. */
export const incidentPhotoSchema = z.object({
  photo: z
    .string({ error: 'photo wajib diisi: nama foto dari jawaban POST /photos' })
    .regex(/^[a-f0-9]{64}\.(jpg|png|webp)$/, {
      error: 'photo tidak sah: pakai nama foto dari jawaban POST /photos (<sha256>.jpg/png/webp)',
    }),
})

export const incidentStatusSchema = z.object({
  status: z.enum(['open', 'handled'], { error: 'Status kejadian harus open atau handled' }),
})

export const verificationMarkSchema = z
  .object({
    status: z.enum(['verified', 'flagged'], {
      error: 'Status harus verified (terverifikasi) atau flagged (ditandai)',
    }),
    note: z.string().trim().max(1000, { error: 'Catatan paling panjang 1000 karakter' }).optional(),
  })
  .refine((v) => v.status !== 'flagged' || (v.note !== undefined && v.note.length >= 5), {
    path: ['note'],
    error: 'Catatan wajib diisi (minimal 5 karakter) saat menandai hasil desa',
  })
export type VerificationMark = z.infer<typeof verificationMarkSchema>

// ---------------------------------------------------------------- failover: receipts a phone holds (issue 13 item 8)

/** POST /receipts/check: the submissionIds a phone or console holds receipts for. */
export const receiptCheckSchema = z.object({
  submissionIds: z
    .array(submissionIdSchema, { error: 'submissionIds wajib berupa daftar submissionId' })
    .max(2000, { error: 'submissionIds paling banyak 2.000 sekali periksa' }),
})
