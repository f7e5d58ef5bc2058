// How numbers and times are written for our users: 1.234.567 and WIB (UTC+7, no DST).

const numberFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 })
const percentFormat = new Intl.NumberFormat('id-ID', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
})

export function formatCount(n: number): string {
  return numberFormat.format(n)
}

export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0,0%'
  return `${percentFormat.format((part / whole) * 100)}%`
}

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000

function wibParts(at: Date | string | number): Date {
  return new Date(new Date(at).getTime() + WIB_OFFSET_MS)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** "19:42 WIB" */
export function formatTimeWib(at: Date | string | number, seconds = false): string {
  const d = wibParts(at)
  const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  return `${seconds ? `${base}:${pad(d.getUTCSeconds())}` : base} WIB`
}

/** "27-11-2024 19:42 WIB" */
export function formatDateTimeWib(at: Date | string | number): string {
  const d = wibParts(at)
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${formatTimeWib(at)}`
}

/**
 * Date and time as typed in WIB, day-month-year and 24 h ("27-11-2024", "19:42"), whatever the
 * browser's locale (a datetime-local input shows mm/dd/yyyy and AM/PM in an en-US browser).
 * Returns the instant as ISO with +07:00, or an Indonesian message naming what is wrong.
 */
export function parseDateTimeWib(
  date: string,
  time: string,
  field: string,
): { iso: string } | { error: string } {
  const d = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(date.trim())
  if (!d) return { error: `${field}: tanggal harus hh-bb-tttt, mis. 27-11-2024` }
  const t = /^(\d{1,2})[:.](\d{2})$/.exec(time.trim())
  if (!t) return { error: `${field}: jam harus jj:mm (24 jam), mis. 07:00 atau 19:30` }
  const [day, month, year, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ]
  if (hour > 23 || minute > 59)
    return { error: `${field}: jam ${time.trim()} tidak ada (00:00–23:59)` }
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (month < 1 || month > 12 || probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1) {
    return { error: `${field}: tanggal ${date.trim()} tidak ada` }
  }
  return { iso: `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00+07:00` }
}

/** An instant as the two boxes of a WIB date-time field: ["27-11-2024", "19:42"]. */
export function dateTimeWibParts(at: Date | string | number): [string, string] {
  const d = wibParts(at)
  return [
    `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()}`,
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  ]
}

/** A TPS's number as the forms write it: 7 → "007". */
export function formatTpsNumber(n: number): string {
  return String(n).padStart(3, '0')
}

/** "Sumbersari · TPS 007": how every screen names one TPS (`word` is the screen's word for TPS). */
export function tpsLabel(t: { desaName: string; number: number }, word = 'TPS'): string {
  return `${t.desaName} · ${word} ${formatTpsNumber(t.number)}`
}

/**
 * `text` with every lone UTF-16 surrogate (half an emoji, e.g. from a multipart SMS cut between
 * its two halves) replaced by U+FFFD: SQLite would store it as invalid UTF-8, which breaks every
 * reader of the row. String.prototype.toWellFormed, typed here because the lib is ES2023.
 */
export function wellFormed(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed()
}
