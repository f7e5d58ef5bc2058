import type { ConflictDto, FlagDto } from '../../../shared/console'
import type { DeskEventType } from '../../../shared/events'
import { formatCount } from '../../../shared/format'
import { useConsole, useLiveData } from './common'
import { useM } from './messages'
import { ConflictQueue } from './review/conflict-queue'
import { FlagQueue } from './review/flag-queue'
import { ResolvedList } from './review/resolved-list'
import { VerificationList } from './review/verification-list'

type Tab = 'conflicts' | 'flags' | 'resolved' | 'verification'
const REVIEW_EVENTS = [
  'result.conflict',
  'review.assigned',
  'conflict.resolved',
  'result.updated',
  'result.reviewed',
  'result.accepted',
  'photo.added',
  'verification.changed',
] satisfies DeskEventType[]

/**
 * The review queue: conflicts side by side, soft-warning flags, decided conflicts and the
 * kecamatan checks. Supervisors and admins decide, always with a written reason.
 */
export function ReviewScreen() {
  const m = useM()
  const { navigate, path } = useConsole()
  const tab =
    (new URLSearchParams(path.split('?')[1] ?? '').get('tab') as Tab | null) ?? 'conflicts'
  const conflicts = useLiveData<{ conflicts: ConflictDto[] }>('/conflicts', REVIEW_EVENTS)
  const flags = useLiveData<{ flags: FlagDto[] }>('/console/flags', REVIEW_EVENTS)
  const setTab = (t: Tab) => navigate(t === 'conflicts' ? '/tinjau' : `/tinjau?tab=${t}`)
  const tabs: { id: Tab; label: string; count?: number }[] = [
    {
      id: 'conflicts',
      label: m.tabConflicts,
      ...(conflicts.data ? { count: conflicts.data.conflicts.length } : {}),
    },
    { id: 'flags', label: m.tabFlags, ...(flags.data ? { count: flags.data.flags.length } : {}) },
    { id: 'resolved', label: m.tabResolved },
    { id: 'verification', label: m.tabVerification },
  ]
  return (
    <section className="review">
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.count !== undefined && <span className="badge">{formatCount(t.count)}</span>}
          </button>
        ))}
      </div>
      {tab === 'conflicts' && (
        <ConflictQueue
          data={conflicts.data?.conflicts ?? null}
          error={conflicts.error}
          onDecided={conflicts.reload}
        />
      )}
      {tab === 'flags' && (
        <FlagQueue data={flags.data?.flags ?? null} error={flags.error} onDecided={flags.reload} />
      )}
      {tab === 'resolved' && <ResolvedList />}
      {tab === 'verification' && <VerificationList />}
    </section>
  )
}
