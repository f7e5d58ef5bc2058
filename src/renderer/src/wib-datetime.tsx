import { dateTimeWibParts, parseDateTimeWib } from '../../shared/format'

/** What is typed in a WIB date-time field: day-month-year and 24-hour time, as text. */
export interface WibDateTimeValue {
  date: string
  time: string
}

export const emptyWibDateTime: WibDateTimeValue = { date: '', time: '' }

export function wibDateTimeOf(iso: string | null): WibDateTimeValue {
  if (!iso) return emptyWibDateTime
  const [date, time] = dateTimeWibParts(iso)
  return { date, time }
}

/** Both boxes empty → null (no limit); otherwise the instant, or the error naming the field. */
export function readWibDateTime(
  v: WibDateTimeValue,
  field: string,
): { iso: string | null } | { error: string } {
  if (v.date.trim() === '' && v.time.trim() === '') return { iso: null }
  return parseDateTimeWib(v.date, v.time, field)
}

/**
 * A date and a time typed as our users write them (27-11-2024, 19:30) in WIB. Not the browser's
 * datetime-local input: that one follows the browser's locale (mm/dd/yyyy and AM/PM in en-US).
 */
export function WibDateTimeField({
  label,
  value,
  onChange,
  dateLabel = 'tanggal',
  timeLabel = 'jam',
}: {
  label: string
  value: WibDateTimeValue
  onChange: (v: WibDateTimeValue) => void
  dateLabel?: string
  timeLabel?: string
}) {
  return (
    <div className="wib-datetime" role="group" aria-label={`${label} (WIB)`}>
      <span className="wib-datetime-label">{label} (WIB)</span>
      <input
        aria-label={`${label}: ${dateLabel}`}
        placeholder="hh-bb-tttt"
        inputMode="numeric"
        autoComplete="off"
        size={11}
        className="wib-date"
        maxLength={10}
        value={value.date}
        onChange={(e) => onChange({ ...value, date: e.target.value })}
      />
      <input
        aria-label={`${label}: ${timeLabel}`}
        placeholder="jj:mm"
        inputMode="numeric"
        autoComplete="off"
        size={6}
        className="wib-time"
        maxLength={5}
        value={value.time}
        onChange={(e) => onChange({ ...value, time: e.target.value })}
      />
    </div>
  )
}
