import type { SmsMessageDto } from '../../../shared/api'
import { displayMsisdn } from '../../../shared/sms'

/** Incoming messages a phoned-in entry stands in for (the desk marks them handled when it is saved). */
const FIXABLE = new Set(['refused', 'wrong_code', 'locked'])

/**
 * The phoned-in entry form's address, filled with what could be read of an SMS that was not
 * counted: the TPS and numbers when the grammar got that far, otherwise the search starts at the
 * reporter's desa (or kecamatan); caller, phone and a note naming the SMS (`#id`, by which the
 * desk marks it handled) always. Null when there is nothing to call back (unknown sender).
 */
export function entryPathFor(m: SmsMessageDto, note: string): string | null {
  if (m.direction !== 'in' || !FIXABLE.has(m.status) || m.handled) return null
  const p = m.prefill
  if (!m.reporter && !p?.tps) return null
  const q = new URLSearchParams()
  if (p?.tps) q.set('tps', p.tps)
  const area = p?.desa ?? m.reporter?.region
  if (area) q.set('wilayah', area)
  if (p?.contest) q.set('contest', p.contest)
  if (p?.votes)
    q.set(
      'suara',
      Object.entries(p.votes)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    )
  if (p?.invalid !== undefined) q.set('ts', String(p.invalid))
  if (m.reporter) q.set('pelapor', m.reporter.name)
  q.set('hp', displayMsisdn(m.phone))
  q.set('catatan', `${note} #${m.id}${m.reason ? `: ${m.reason}` : ''}`)
  return `/entri?${q.toString()}`
}
