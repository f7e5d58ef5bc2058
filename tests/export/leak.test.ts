// The berjenjang file leaves the room for the province and the ministry: nothing a person typed may
// be in it. Every way people write phone numbers (and a NIK, an e-mail, a live access code, a name) is
// typed into every free-text input the desk has; berjenjang is built live and frozen, and every part
// of the zip is searched. The lengkap file is built from the same night, so the typed text is known
// to have reached the export.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESA_A, DESA_C, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { allText, downloadFrom } from './fixture'

const NIK = '3509014507880001'
const EMAIL = 'darto.saksi@contoh.id'
const NAME = 'Pak Darto'
/** The forms an independent check found passing the old masking, and more. */
const PHONES = [
  'hp081234567890',
  '0812–3456–7891',
  '0812/3456/7892',
  '0812_3456_7897',
  '812-3456-7893',
  '+62 (812) 3456-7894',
  '(0331) 487123',
]

let desk: TestDesk
let accessCode = ''
const accepted: { where: string; status: number }[] = []
let secrets: string[] = []

/** One sentence with every form in it (the live access code too, once it exists). */
const sentence = (where: string) =>
  `${where}: hubungi ${NAME} ${PHONES.join(' / ')}, NIK ${NIK}, ${EMAIL}, kode ${accessCode}`

async function typed(
  where: string,
  res: Promise<{ status: number; body: any }>,
  ok: number[] = [200, 201, 202],
): Promise<any> {
  const r = await res
  accepted.push({ where, status: r.status })
  if (!ok.includes(r.status)) throw new Error(`${where}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

async function download(path: string): Promise<Buffer> {
  const res = await downloadFrom(desk.url, path)
  expect(res.status, path).toBe(200)
  return res.bytes
}

beforeAll(async () => {
  desk = await startDesk()
  // The registry's free text: lokasi.
  const registry = tpsCsv([DESA_A, DESA_C], 4).trim().split('\n')
  const lines = [
    `${registry[0]},lokasi`,
    ...registry.slice(1).map((l) => `${l},"Rumah ${NAME}, ${PHONES[0]}"`),
  ]
  await typed('tps import lokasi', desk.call('POST', '/tps/import', lines.join('\n') + '\n'))

  // A reporter whose name and phone are a person's (lengkap shows them; berjenjang must not).
  const user = await typed(
    'user name/phone',
    desk.call('POST', '/users', {
      name: `${NAME} ${NIK}`,
      phone: '+62 (812) 3456-7894',
      role: 'reporter',
      region: DESA_A,
    }),
  )
  accessCode = user.accessCode as string
  const operator = (
    await typed(
      'operator',
      desk.call('POST', '/users', {
        name: `Operator ${NAME}`,
        phone: '(0331) 487123',
        role: 'operator',
      }),
    )
  ).accessCode as string
  secrets = [...PHONES, NIK, EMAIL, accessCode, NAME]

  const cfg = (await desk.call('GET', '/config')).body
  const bupati = cfg.contests.find((c: any) => c.id === 'bupati')
  const votes = (a: number, b: number) =>
    Object.fromEntries(
      bupati.candidates.map((k: any, i: number) => [String(k.number), i === 0 ? a : b]),
    )
  const tps = (desa: string, n: number) => `${desa}.${String(n).padStart(3, '0')}`

  // Results: a note, a caller by phone, a correction's reason, a differing report (left open).
  await typed(
    'result note',
    desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: tps(DESA_A, 1),
        contest: 'bupati',
        votes: votes(100, 90),
        invalid: 2,
        note: sentence('catatan hasil'),
      },
      accessCode,
    ),
  )
  await typed(
    'caller name/phone',
    desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: tps(DESA_C, 1),
        contest: 'bupati',
        votes: votes(80, 70),
        invalid: 1,
        caller: { name: NAME, phone: '0812-3456-7891' },
        note: sentence('telepon'),
      },
      undefined,
      { 'X-Desk-Channel': 'telepon' },
    ),
  )
  await typed(
    'correction reason',
    desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: tps(DESA_A, 1),
        contest: 'bupati',
        votes: votes(101, 90),
        invalid: 2,
        correction: { reason: sentence('koreksi') },
      },
      accessCode,
    ),
  )
  await typed(
    'differing report',
    desk.call('POST', '/results', {
      submissionId: sid(),
      tps: tps(DESA_C, 1),
      contest: 'bupati',
      votes: votes(81, 70),
      invalid: 1,
      note: sentence('laporan kedua'),
    }),
  )
  await typed(
    'flagged result',
    desk.call('POST', '/results', {
      submissionId: sid(),
      tps: tps(DESA_A, 2),
      contest: 'bupati',
      votes: votes(200, 150),
      invalid: 0,
      note: sentence('ditinjau'),
    }),
  )

  // Decisions with written reasons: a review, a resolved conflict (a third report, then decided).
  await typed(
    'review reason',
    desk.call('POST', `/results/${tps(DESA_A, 2)}/bupati/review`, {
      action: 'confirm',
      reason: sentence('tinjauan'),
    }),
  )
  await typed(
    'third report',
    desk.call('POST', '/results', {
      submissionId: sid(),
      tps: tps(DESA_A, 2),
      contest: 'bupati',
      votes: votes(201, 150),
      invalid: 0,
    }),
  )
  const conflicts = (await desk.call('GET', '/conflicts', undefined, operator)).body.conflicts as {
    id: number
    tps: { code: string }
  }[]
  const toResolve = conflicts.find((c) => c.tps.code === tps(DESA_A, 2))!
  await typed(
    'conflict decision reason',
    desk.call('POST', `/conflicts/${toResolve.id}/resolve`, {
      keep: 'standing',
      reason: sentence('keputusan'),
    }),
  )

  // A postponed TPS's reason, a merged one's.
  await typed(
    'postponed reason',
    desk.call('POST', `/tps/${tps(DESA_A, 3)}/status`, {
      status: 'postponed',
      reason: sentence('ditunda'),
    }),
  )
  await typed(
    'merged reason',
    desk.call('POST', `/tps/${tps(DESA_C, 4)}/status`, {
      status: 'merged',
      mergedInto: tps(DESA_C, 3),
      reason: sentence('digabung'),
    }),
  )

  // Field intake: an incident, a desa check's note.
  await typed(
    'incident text',
    desk.call(
      'POST',
      '/incidents',
      { category: 'keamanan', urgency: 'tinggi', tps: tps(DESA_A, 1), text: sentence('kejadian') },
      accessCode,
    ),
  )
  await typed(
    'desa check note',
    desk.call('POST', `/verification/${DESA_A}`, { status: 'flagged', note: sentence('cek desa') }),
  )

  // Console: a chase call's note, a phoned-in draft's note and caller, a cancelled draft's reason.
  await typed(
    'chase call note',
    desk.call(
      'POST',
      `/console/chase/${user.id}/calls`,
      { outcome: 'reached', note: sentence('panggilan').slice(0, 500) },
      operator,
    ),
  )
  const draft = await typed(
    'draft note/caller',
    desk.call(
      'POST',
      '/console/drafts',
      {
        tps: tps(DESA_C, 2),
        contest: 'bupati',
        votes: votes(60, 50),
        invalid: 1,
        caller: { name: NAME, phone: '0812-3456-7891' },
        note: sentence('draf'),
      },
      operator,
    ),
  )
  await typed(
    'draft cancel reason',
    desk.call(
      'POST',
      `/console/drafts/${draft.draft.id}/cancel`,
      { reason: sentence('batal') },
      operator,
    ),
  )

  // KPU figures whose source name is typed.
  await typed(
    'kpu source',
    desk.call(
      'POST',
      `/export/kpu/import?contest=bupati&source=${encodeURIComponent(sentence('sumber').slice(0, 120))}`,
      `kode_desa,suara_1,suara_2,suara_tidak_sah\n${DESA_A},100,90,2\n`,
      undefined,
      {
        'content-type': 'application/octet-stream',
      },
    ),
  )
}, 120_000)

afterAll(async () => {
  await desk?.stop()
})

/** Each typed form, and each phone number's digits alone (in case a cell kept only the digits). */
function findings(text: string): string[] {
  const found = secrets.filter((s) => text.includes(s))
  for (const p of PHONES) {
    const digits = p.replace(/\D/g, '')
    if (digits.length >= 9 && text.includes(digits)) found.push(`${p} (as ${digits})`)
  }
  return found
}

describe('berjenjang holds no free text at all', () => {
  it('every free-text input took the typed text', () => {
    expect(accepted).toHaveLength(19)
    expect(secrets).toContain(accessCode)
    expect(accessCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/)
  })

  it('the live berjenjang file, every XML part unzipped, has none of it (lengkap has the names)', async () => {
    const berjenjang = allText(await download('/export/recap.xlsx?profile=berjenjang'))
    expect(berjenjang).toContain('tercatat di desk')
    expect(findings(berjenjang)).toEqual([])
    const lengkap = allText(await download('/export/recap.xlsx?profile=lengkap'))
    // The typed text did reach the export: lengkap shows the people, and masks numbers typed into text.
    expect(findings(lengkap)).toContain(NAME)
    expect(lengkap).toContain('[nomor disamarkan]')
    expect(lengkap).toContain('[NIK disamarkan]')
    expect(lengkap).toContain('[surel disamarkan]')
    expect(lengkap).toContain('[kode akses disamarkan]')
    expect(lengkap).not.toContain(EMAIL)
    expect(lengkap).not.toContain(accessCode)
  })

  it('a frozen berjenjang snapshot and the KPU difference report have none of it either', async () => {
    const label = sentence('label').slice(0, 120)
    const asked = await desk.call('POST', '/export/snapshots', { label })
    const snap =
      asked.status === 409
        ? await desk.call('POST', '/export/snapshots', {
            label,
            confirmOpenConflicts: asked.body.error.openConflicts,
          })
        : asked
    expect(snap.status).toBe(201)
    const frozen = allText(
      await download(`/export/snapshots/${snap.body.id}/recap.xlsx?profile=berjenjang`),
    )
    expect(frozen).toContain('Laporan berbeda terbuka')
    expect(findings(frozen)).toEqual([])
    expect(findings(allText(await download('/export/kpu/report.xlsx')))).toEqual([])
  })
})
