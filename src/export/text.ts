// Words and formats the workbooks share: Indonesian labels, WIB times, and the redaction of phone
// numbers from free text in the profile that leaves the desk.

import { formatCount, formatTimeWib } from '../shared/format'

export const TRAINING_BANNER = 'MODE LATIHAN — data simulasi'
export const NOT_OFFICIAL = 'DATA CEPAT — BUKAN DATA RESMI. Hasil resmi ditetapkan oleh KPU.'

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000
const pad = (n: number) => String(n).padStart(2, '0')

/** "27-11-2024 19:42:05 WIB" */
export function wibDateTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + WIB_OFFSET_MS)
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${formatTimeWib(iso, true)}`
}

/** "20241127-1942" (WIB), for file names. */
export function wibStamp(iso: string): string {
  const d = new Date(new Date(iso).getTime() + WIB_OFFSET_MS)
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`
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

export const URGENCY_LABEL: Record<string, string> = { rendah: 'Rendah', sedang: 'Sedang', tinggi: 'Tinggi' }

export function candidateLabel(c: { number: number; name: string }): string {
  return c.number === 0 ? 'Kolom kosong' : `Paslon ${c.number}`
}

export function candidateTitle(c: { number: number; name: string }): string {
  return c.number === 0 ? 'Kolom kosong' : `${c.number}. ${c.name}`
}

// Indonesian mobile and fixed-line numbers as people type them: 0812-3456-7890, 0812.3456.7890,
// +62 812 3456 7890, +62-812-…, 62 812 …, 62812…, (0331) 123456. Dots are separators too, so
// region and TPS codes (35.09.01.2001.003), dates (27-11-2024) and times (13.05) are matched first
// by KEEP and left as they are; only what PHONE then finds is masked.
const SEP = '[\\s.()-]{0,2}'
const KEEP = String.raw`\b\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4}(?:\.\d{3})?)?)?(?!\.?\d)|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b`
const PHONE = `(?:\\+\\s?62|\\b62(?=${SEP}8)|\\(?\\b0)(?:${SEP}\\d){8,13}`
const FREE_TEXT = new RegExp(`(${KEEP})|${PHONE}`, 'g')
export const REDACTED = '[nomor disamarkan]'

/** Free text in the `berjenjang` profile: phone numbers a reporter typed into a note are masked. */
export function redactPhones(text: string): string {
  return text.replace(FREE_TEXT, (_match, keep: string | undefined) => keep ?? REDACTED)
}

export { formatCount }
