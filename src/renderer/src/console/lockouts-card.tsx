import { Fragment, useEffect, useState } from 'react'
import { formatCount, formatDateTimeWib, formatTimeWib } from '../../../shared/format'
import type { LockoutDto, LockoutListDto, UnlockAnswer } from '../../../shared/lockouts'
import { ErrorLine, Link, post, roleAtLeast, useConsole, useLiveData } from './common'
import { useM, type ConsoleMessages } from './messages'

/** Shown in the list and the confirmation: the address or prefix, or the person (never a code). */
function lockLabel(l: LockoutDto, m: ConsoleMessages): string {
  if (l.person) return `${l.person.name} (${m.role[l.person.role] ?? l.person.role})`
  return l.address ?? l.target
}

/**
 * The admin's lockout list, read again when a lock appears or is lifted (events) and when the
 * first one runs out by itself (no event says so).
 */
function useLockouts(enabled: boolean) {
  const live = useLiveData<LockoutListDto>(enabled ? '/admin/lockouts' : null, [
    'auth.locked',
    'auth.unlocked',
  ])
  const { data, reload } = live
  useEffect(() => {
    if (!data || data.lockouts.length === 0) return
    const first = Math.min(...data.lockouts.map((l) => Date.parse(l.lockedUntil)))
    const wait = Math.max(1_000, first - Date.parse(data.now) + 1_000)
    const t = setTimeout(reload, Math.min(wait, 11 * 60_000))
    return () => clearTimeout(t)
  }, [data, reload])
  return live
}

/**
 * "Masuk terkunci" (admin): what wrong codes have locked now — an address (many phones behind a
 * carrier's NAT share it), an IPv6 /64, or a person's code — and a "Buka blokir" for each, asked
 * again before it is lifted.
 */
export function LockoutsCard() {
  const m = useM()
  const locks = useLockouts(true)
  const [asking, setAsking] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const { data, reload } = locks

  const unlock = (l: LockoutDto) => {
    setBusy(true)
    setError(null)
    post<UnlockAnswer>('/admin/lockouts/unlock', { kind: l.kind, target: l.target }).then(
      () => {
        setBusy(false)
        setAsking(null)
        setDone(lockLabel(l, m))
        reload()
      },
      (e: unknown) => {
        setBusy(false)
        setAsking(null)
        setError(e instanceof Error ? e : new Error(String(e)))
        reload() // show what is locked now (it may have run out meanwhile)
      },
    )
  }

  const key = (l: LockoutDto) => `${l.kind}:${l.target}`
  return (
    <div className="card lockouts-card">
      <h2>
        {m.lockoutsTitle}
        {data && data.lockouts.length > 0 && (
          <span className="badge danger">{formatCount(data.lockouts.length)}</span>
        )}
      </h2>
      <p className="muted small">{m.lockoutsHelp}</p>
      {done && (
        <p className="lockouts-done" role="status">
          {m.unlockDone(done)}
        </p>
      )}
      <ErrorLine error={locks.error ?? error} />
      {!data ? null : data.lockouts.length === 0 ? (
        <p className="muted lockouts-none">{m.lockoutsNone}</p>
      ) : (
        <div className="table-scroll">
          <table className="compact lockouts-table">
            <thead>
              <tr>
                <th>{m.lockWhat}</th>
                <th>{m.lockSince}</th>
                <th>{m.lockUntil}</th>
                <th className="num">{m.lockFailures}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.lockouts.map((l) => (
                <Fragment key={key(l)}>
                  <tr data-lock={key(l)} className={asking === key(l) ? 'asking' : undefined}>
                    <td>
                      <span className="lock-kind">{m.lockKind[l.kind] ?? l.kind}</span>{' '}
                      {l.person ? (
                        <>
                          <strong>{l.person.name}</strong> ·{' '}
                          {m.role[l.person.role] ?? l.person.role} · {l.person.regionName}
                        </>
                      ) : (
                        <>
                          <code>{l.address}</code>{' '}
                          <span className="muted small">
                            ({l.address?.endsWith('/64') ? m.lockPrefixHint : m.lockAddressHint})
                          </span>
                        </>
                      )}
                    </td>
                    <td className="nowrap">{formatDateTimeWib(l.lockedAt)}</td>
                    <td className="nowrap">{formatTimeWib(l.lockedUntil)}</td>
                    <td className="num">{formatCount(l.failures)}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="small-button"
                        disabled={asking === key(l)}
                        onClick={() => {
                          setDone(null)
                          setAsking(key(l))
                        }}
                      >
                        {m.unlock}
                      </button>
                    </td>
                  </tr>
                  {asking === key(l) && (
                    <tr className="lock-confirm-row">
                      <td colSpan={5}>
                        <div className="lock-confirm" role="alertdialog" aria-label={m.unlock}>
                          <span>{m.unlockConfirm(lockLabel(l, m))}</span>{' '}
                          <button
                            type="button"
                            className="small-button danger"
                            disabled={busy}
                            onClick={() => unlock(l)}
                          >
                            {m.unlockYes}
                          </button>{' '}
                          <button
                            type="button"
                            className="small-button secondary"
                            disabled={busy}
                            onClick={() => setAsking(null)}
                          >
                            {m.cancel}
                          </button>
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

/**
 * The console home's line for the admin: how many sign-ins are locked now, linking to the card
 * above (nothing when none is, and nothing for other roles: the list is the admin's).
 */
export function LockoutsLine() {
  const m = useM()
  const { me } = useConsole()
  const admin = roleAtLeast(me.role, 'admin')
  const { data } = useLockouts(admin)
  if (!data || data.lockouts.length === 0) return null
  return (
    <p className="lockouts-line" role="status">
      <Link to="/orang">{m.lockoutsBanner(data.lockouts.length)}</Link>
    </p>
  )
}
