// How numbers and times are written for our users: 1.234.567 and WIB (UTC+7, no DST).

const numberFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 })
const percentFormat = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

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
