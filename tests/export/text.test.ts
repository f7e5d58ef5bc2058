import { describe, expect, it } from 'vitest'
import {
  redactPhones,
  REDACTED,
  REDACTED_CODE,
  REDACTED_EMAIL,
  REDACTED_NIK,
  wibDateTime,
  wibStamp,
} from '../../src/export/text'

describe('free text leaving the desk', () => {
  it('masks phone numbers as people type them', () => {
    for (const phone of [
      '081234567890',
      '0812-3456-7890',
      '0812 3456 7890',
      '+62 812 3456 7890',
      '+6281234567890',
      '6281234567890',
      '(0331) 487654',
      '0331-487654',
      '0812.3456.7890',
      '62 812 3456 7891',
      '62-812-3456-7891',
      '+62-812-3456-7892',
      '+62.812.3456.7893',
      '(0812) 3456 7890',
    ]) {
      expect(redactPhones(`hubungi ${phone} segera`), phone).toBe(`hubungi ${REDACTED} segera`)
    }
  })

  it('masks the forms that used to pass: dashes from a word processor, slashes, underscores, hp…, a missing 0, +62 (812)', () => {
    for (const phone of [
      'hp081234567890',
      '0812–3456–7891',
      '0812—3456—7891',
      '0812/3456/7892',
      '0812_3456_7897',
      '812-3456-7893',
      '+62 (812) 3456 7894',
      '(0331) 487123',
    ]) {
      expect(redactPhones(`hubungi ${phone} segera`), phone).toBe(
        `hubungi ${phone.startsWith('hp') ? 'hp' : ''}${REDACTED} segera`,
      )
    }
  })

  it('masks a NIK, an e-mail address and an access code; a name it cannot know (lengkap only)', () => {
    expect(redactPhones('NIK 3509014507880001 saksi')).toBe(`NIK ${REDACTED_NIK} saksi`)
    expect(redactPhones('surel darto.saksi@contoh.id ya')).toBe(`surel ${REDACTED_EMAIL} ya`)
    expect(redactPhones('kode ABCD-EF23-GHJK dipakai')).toBe(`kode ${REDACTED_CODE} dipakai`)
    // Ordinary hyphenated words are not codes.
    expect(redactPhones('kata-kata dari tiga-empat-lima orang')).toBe(
      'kata-kata dari tiga-empat-lima orang',
    )
  })

  it('leaves region and TPS codes, dates, times and counts alone', () => {
    const text =
      'TPS 35.09.01.2001.003 (DPT 312) ditunda 27-11-2024 pukul 13.05; 2024-11-27; kotak 2 dari 12; 62.08.01'
    expect(redactPhones(text)).toBe(text)
    // Dots separate phone digits too, but never join codes, dates and times into a "number".
    const dotted =
      'desa 35.09.08.2001 TPS 35.09.08.2001.003, 05.11.2024 pukul 08.00-09.30; 62 orang; Rp 1.250.000'
    expect(redactPhones(dotted)).toBe(dotted)
    expect(redactPhones('TPS 35.09.01.2001.003 hubungi 0812.3456.7890')).toBe(
      `TPS 35.09.01.2001.003 hubungi ${REDACTED}`,
    )
  })
})

describe('times in WIB', () => {
  it('writes UTC instants as WIB (UTC+7)', () => {
    expect(wibDateTime('2024-11-27T12:42:05.000Z')).toBe('27-11-2024 19:42:05 WIB')
    expect(wibDateTime('2024-11-27T18:00:00.000Z')).toBe('28-11-2024 01:00:00 WIB')
    expect(wibStamp('2024-11-27T12:42:05.000Z')).toBe('20241127-1942')
  })
})
