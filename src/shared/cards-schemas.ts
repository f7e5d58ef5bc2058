// zod schemas of the cards feature (issue 11), for the server's edge. Apart from cards.ts so the UI
// bundle, which uses the pure rules there, does not carry zod.

import { z } from 'zod'
import { BULK_REISSUE_MAX, parsePublicUrl, type PeopleSelection } from './cards'
import { ROLES } from './schemas'

export const publicUrlSchema = z.object({
  publicUrl: z
    .string({
      error:
        'publicUrl wajib diisi: alamat lengkap desk, mis. https://desk-pilkada.jemberkab.go.id',
    })
    .transform((v, ctx) => {
      const r = parsePublicUrl(v)
      if ('error' in r) {
        ctx.addIssue({ code: 'custom', message: r.error })
        return z.NEVER
      }
      return r.url
    }),
})

export const bulkReissueSchema = z
  .object({
    all: z.literal(true, { error: 'all hanya boleh true' }).optional(),
    region: z.string().trim().max(20, { error: 'Kode wilayah terlalu panjang' }).optional(),
    role: z.enum(ROLES, { error: `Peran harus salah satu dari: ${ROLES.join(', ')}` }).optional(),
    ids: z
      .array(z.string().max(64), { error: 'ids harus daftar id orang' })
      .min(1, { error: 'ids tidak boleh kosong' })
      .max(BULK_REISSUE_MAX, { error: `Paling banyak ${BULK_REISSUE_MAX} orang sekali terbit` })
      .optional(),
    /**
     * How many people the admin confirmed on screen. The desk refuses when its own count differs
     * (someone was added or revoked meanwhile): no code changes that the admin did not see.
     */
    expect: z
      .number({ error: 'expect wajib diisi: jumlah orang yang sudah dikonfirmasi di layar' })
      .int({ error: 'expect harus bilangan bulat' })
      .min(1, { error: 'expect paling kecil 1' }),
  })
  .superRefine((v, ctx) => {
    const filtered = v.region !== undefined || v.role !== undefined || v.ids !== undefined
    if (!v.all && !filtered) {
      ctx.addIssue({
        code: 'custom',
        path: ['all'],
        message:
          'Pilih orangnya: wilayah (region), peran (role), daftar id (ids), atau semua (all: true)',
      })
    }
    if (v.all && filtered)
      ctx.addIssue({
        code: 'custom',
        path: ['all'],
        message: 'all: true tidak boleh digabung dengan region, role atau ids',
      })
  })
export type BulkReissue = z.infer<typeof bulkReissueSchema>

// The schema and the plain type must name the same selection.
const _sameSelection: PeopleSelection = {} as Omit<BulkReissue, 'expect'>
void _sameSelection
