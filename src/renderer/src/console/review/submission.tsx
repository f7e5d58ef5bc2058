// Who sent a report and the kecamatan's mark on it, as the review screen shows them.

import type { SubmissionViewDto, VerificationDto } from '../../../../shared/console'
import { actorLabel, ActorName, Time } from '../common'
import { useM } from '../messages'

/** A phone number to call back, as a link (tel:) the console's softphone or a laptop can use. */
function Phone({ phone }: { phone: string | null | undefined }) {
  if (!phone) return null
  return (
    <a className="phone" href={`tel:${phone.replace(/[^\d+]/g, '')}`}>
      {phone}
    </a>
  )
}

export function SubmissionMeta({ s, title }: { s: SubmissionViewDto | null; title: string }) {
  const m = useM()
  if (!s) return <th>{title}</th>
  return (
    <th className="sub-meta">
      <div className="col-title">{title}</div>
      <div>
        <ActorName actor={s.actor} /> <Phone phone={s.actorPhone} />
      </div>
      <div className="muted small">
        <Time at={s.at} seconds /> · {m.channels[s.channel] ?? s.channel} · {m.receipt}{' '}
        {s.receipt ?? '—'}
      </div>
      {s.caller && (
        <div className="small">
          {m.caller}: {s.caller.name} <Phone phone={s.caller.phone} />
        </div>
      )}
      {s.correctionReason && (
        <div className="small">
          {m.correctionReason}: <em>{s.correctionReason}</em>
        </div>
      )}
      {s.note && !s.correctionReason && <div className="small">“{s.note}”</div>}
    </th>
  )
}

export function Verification({ v }: { v: VerificationDto | null }) {
  const m = useM()
  return (
    <p className="verification small">
      <strong>{m.verification}:</strong>{' '}
      {v ? (
        <>
          {v.status}
          {v.actor && <> · {actorLabel(v.actor, m)}</>}
          {v.at && (
            <>
              {' '}
              · <Time at={v.at} />
            </>
          )}
          {v.note && <> · “{v.note}”</>}
        </>
      ) : (
        <span className="muted">{m.noVerification}</span>
      )}
    </p>
  )
}
