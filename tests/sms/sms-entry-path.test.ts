import { describe, expect, it } from 'vitest'
import type { SmsMessageDto } from '../../src/shared/api'
import { entryPathFor } from '../../src/renderer/src/console/sms-entry-path'

// "Isi formulir telepon" on the SMS screen (issue 15 review): offered for every message a call back
// can fix — refused, wrong code, blocked — from a known reporter, even when the TPS could not be read.
const siti = { id: 'u1', name: 'Siti Aminah', region: '35.09.01.2001', regionName: 'Padomasan' }
const base: SmsMessageDto = {
  id: 41,
  direction: 'in',
  gateway: 'gammu',
  phone: '6281211110001',
  at: '2024-11-27T08:00:00.000Z',
  sentAt: null,
  text: '**** tps tiga B 120 150 TS 6',
  status: 'refused',
  reporter: siti,
  replyTo: null,
}
const query = (path: string | null) => Object.fromEntries(new URLSearchParams(path!.split('?')[1]))

describe('the phoned-in form from an SMS that was not counted', () => {
  it("is offered without a TPS, starting at the reporter's desa with caller, phone and note", () => {
    const m = { ...base, reason: 'desa "TIGA" bukan desa Anda', prefill: { desa: '35.09.01.2001' } }
    const q = query(entryPathFor(m, 'Dari SMS yang ditolak'))
    expect(q).toEqual({
      wilayah: '35.09.01.2001',
      pelapor: 'Siti Aminah',
      hp: '0812-1111-0001',
      catatan: 'Dari SMS yang ditolak #41: desa "TIGA" bukan desa Anda',
    })
  })

  it("is offered for a wrong SMS code from a registered number (the reporter's own region)", () => {
    const q = query(
      entryPathFor(
        { ...base, status: 'wrong_code', reporter: { ...siti, region: '35.09.01' } },
        'Dari SMS yang ditolak',
      ),
    )
    expect(q).toMatchObject({
      wilayah: '35.09.01',
      pelapor: 'Siti Aminah',
      catatan: 'Dari SMS yang ditolak #41',
    })
  })

  it('carries TPS, contest and numbers when they were read', () => {
    const m = {
      ...base,
      prefill: {
        tps: '35.09.01.2001.003',
        desa: '35.09.01.2001',
        contest: 'bupati',
        votes: { '1': 120, '2': 150 },
        invalid: 6,
      },
    }
    expect(query(entryPathFor(m, 'x'))).toMatchObject({
      tps: '35.09.01.2001.003',
      contest: 'bupati',
      suara: '1=120,2=150',
      ts: '6',
    })
  })

  it('is not offered for counted, handled, unknown-number or outgoing messages', () => {
    expect(entryPathFor({ ...base, status: 'counted' }, 'x')).toBeNull()
    expect(
      entryPathFor({ ...base, handled: { at: base.at, by: { id: 'admin', name: 'Admin' } } }, 'x'),
    ).toBeNull()
    expect(entryPathFor({ ...base, status: 'unknown_number', reporter: null }, 'x')).toBeNull()
    expect(entryPathFor({ ...base, direction: 'out', status: 'failed' }, 'x')).toBeNull()
  })
})
