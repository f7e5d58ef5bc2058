import { formatTimeWib } from '../../../shared/format'

const pad = (n: number) => String(n).padStart(2, '0')

/** "27-11-2024 19:42:05 WIB": snapshots are told apart to the second. */
export function wibDateTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000)
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${formatTimeWib(iso, true)}`
}
