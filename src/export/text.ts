// Words and formats the workbooks share: Indonesian labels, WIB times, and the redaction of phone
// numbers from free text in the profile that leaves the desk.

import { dateTimeWibParts, formatCount, formatTimeWib } from '../shared/format'

export const TRAINING_BANNER = 'MODE LATIHAN — data simulasi'
export const NOT_OFFICIAL = 'DATA CEPAT — BUKAN DATA RESMI. Hasil resmi ditetapkan oleh KPU.'

/** "27-11-2024 19:42:05 WIB" */
export function wibDateTime(iso: string): string {
  return `${dateTimeWibParts(iso)[0]} ${formatTimeWib(iso, true)}`
}

/** "20241127-1942" (WIB), for file names. */
export function wibStamp(iso: string): string {
  const [date, time] = dateTimeWibParts(iso)
  const [day, month, year] = date.split('-')
  return `${year}${month}${day}-${time.replace(':', '')}`
}

export const CHANNEL_LABEL: Record<string, string> = {
  web: 'Web',
  api: 'API',
  telepon: 'Telepon',
  simulasi: 'Simulasi',
}

export const CATEGORY_LABEL: Record<string, string> = {
  keamanan: 'Keamanan',
  logistik: 'Logistik',
  cuaca: 'Cuaca',
  protes: 'Protes',
  lainnya: 'Lainnya',
}

export const URGENCY_LABEL: Record<string, string> = {
  rendah: 'Rendah',
  sedang: 'Sedang',
  tinggi: 'Tinggi',
}

export function candidateLabel(c: { number: number; name: string }): string {
  return c.number === 0 ? 'Kolom kosong' : `Paslon ${c.number}`
}

export function candidateTitle(c: { number: number; name: string }): string {
  return c.number === 0 ? 'Kolom kosong' : `${c.number}. ${c.name}`
}

// Indonesian mobile and fixed-line numbers as people type them: 0812-3456-7890, 0812.3456.7890,
// 0812–3456–7891 (a dash a word processor made), 0812/3456/…, 0812_3456_…, hp081234567890,
// +62 812 3456 7890, +62 (812) …, 62 812 …, 812-3456-7893 (the 0 left off), (0331) 123456. Dots are
// separators too, so region and TPS codes (35.09.01.2001.003), dates (27-11-2024) and times (13.05)
// are matched first by KEEP and left as they are; only what the rest then finds is masked.
// This masks free text in the `lengkap` profile (a second line of defence for a copy that leaves
// the room); the `berjenjang` profile carries no free text at all (see allow-list.ts).
const SEP = '[\\s.()\\-\u2010-\u2015/_]{0,2}'
const KEEP = String.raw`(?<![\d.])\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4}(?:\.\d{3})?)?)?(?!\.?\d)|(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?!\d)`
const PHONE = `(?:\\+\\s?62|(?<!\\d)62(?=${SEP}\\(?8)|\\(?(?<![\\d.])0|(?<![\\d.])(?=8\\d\\d${SEP}\\d))(?:${SEP}\\d){8,13}`
const NIK = '(?<!\\d)\\d{16}(?!\\d)'
const EMAIL = '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+'
const CODE =
  '(?<![A-Za-z0-9])[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}(?![A-Za-z0-9])'
const FREE_TEXT = new RegExp(`(${KEEP})|(${NIK})|(${EMAIL})|(${CODE})|${PHONE}`, 'g')
export const REDACTED = '[nomor disamarkan]'
export const REDACTED_NIK = '[NIK disamarkan]'
export const REDACTED_EMAIL = '[surel disamarkan]'
export const REDACTED_CODE = '[kode akses disamarkan]'

/** Free text in a workbook: phone numbers, NIK, e-mail addresses and access codes someone typed are masked. */
export function redactPhones(text: string): string {
  return text.replace(
    FREE_TEXT,
    (
      match,
      keep: string | undefined,
      nik: string | undefined,
      email: string | undefined,
      code: string | undefined,
    ) =>
      keep ??
      (nik ? REDACTED_NIK : email ? REDACTED_EMAIL : code ? REDACTED_CODE : match && REDACTED),
  )
}

/** "2024-11-27" → "27-11-2024" (the workbooks' one date format). */
export function dmy(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate)
  return m ? `${m[3]}-${m[2]}-${m[1]}` : isoDate
}

export { formatCount }
