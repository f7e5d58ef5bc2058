import { useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react'
import type { ConsoleSummaryDto } from '../../../shared/console'
import { formatTimeWib } from '../../../shared/format'
import '../../../shared/shell'
import { api, ApiFailure, subscribe } from '../api'
import type { ScreenProps } from '../routes'
import { ChaseScreen } from './chase-screen'
import {
  ConsoleContext,
  DESK_RESET,
  LIVE_TYPES,
  roleAtLeast,
  useConsole,
  useLiveData,
  type ConsoleContextValue,
  type ConsoleEvent,
} from './common'
import { EntryScreen } from './entry-screen'
import { HistoryScreen } from './history-screen'
import { HomeScreen } from './home-screen'
import { LanScreen } from './lan-screen'
import { useM, type ConsoleMessages } from './messages'
import { PeopleScreen } from './people-screen'
import { RegistryScreen } from './registry-screen'
import { ReviewScreen } from './review-screen'
import { SmsScreen } from './sms-screen'
import './console.css'

interface Section {
  path: string
  label: (m: ConsoleMessages) => string
  min: 'operator' | 'supervisor' | 'admin'
  component: ComponentType
  badge?: (s: ConsoleSummaryDto) => number
}

/** The console's screens, in the order of the nav bar (Alt+1 … Alt+8). */
const SECTIONS: Section[] = [
  { path: '/', label: (m) => m.navHome, min: 'operator', component: HomeScreen },
  {
    path: '/entri',
    label: (m) => m.navEntry,
    min: 'operator',
    component: EntryScreen,
    badge: (s) => s.draftsWaiting,
  },
  {
    path: '/belum-lapor',
    label: (m) => m.navChase,
    min: 'operator',
    component: ChaseScreen,
    badge: (s) => s.reportersMissing,
  },
  {
    path: '/tinjau',
    label: (m) => m.navReview,
    min: 'operator',
    component: ReviewScreen,
    badge: (s) => s.openConflicts + s.flagged,
  },
  { path: '/tps', label: (m) => m.navHistory, min: 'operator', component: HistoryScreen },
  { path: '/tps-daftar', label: (m) => m.navRegistry, min: 'operator', component: RegistryScreen },
  { path: '/orang', label: (m) => m.navPeople, min: 'admin', component: PeopleScreen },
  { path: '/lan', label: (m) => m.navLan, min: 'operator', component: LanScreen },
  { path: '/sms', label: () => 'SMS', min: 'operator', component: SmsScreen },
]

function sectionFor(path: string): Section {
  const matches = SECTIONS.filter(
    (s) => s.path === '/' || path === s.path || path.startsWith(s.path + '/'),
  )
  return matches.sort((a, b) => b.path.length - a.path.length)[0]!
}

/**
 * The operator console (the `/` route): one live event stream shared by every screen, in-page
 * navigation between its screens, and the nav bar with what is waiting.
 */
export function Console({ config, onUnauthorized }: ScreenProps) {
  const m = useM()
  const [me, setMe] = useState<ConsoleContextValue['me'] | null>(null)
  const [meError, setMeError] = useState<string | null>(null)
  const [path, setPath] = useState(() => window.location.pathname + window.location.search)
  const [connected, setConnected] = useState(false)
  const [downSince, setDownSince] = useState<Date | null>(null)
  const [restored, setRestored] = useState(false)
  const listeners = useRef(new Set<(e: ConsoleEvent) => void>())

  useEffect(() => {
    api<{ id: string; name: string; role: string }>('/me').then(setMe, (e: unknown) => {
      if (e instanceof ApiFailure && e.status === 401) onUnauthorized()
      else setMeError(e instanceof Error ? e.message : String(e))
    })
  }, [onUnauthorized])

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname + window.location.search)
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])

  const navigate = useCallback((to: string) => {
    if (to === window.location.pathname + window.location.search) return
    window.history.pushState(null, '', to)
    setPath(window.location.pathname + window.location.search)
    window.scrollTo(0, 0)
  }, [])

  const canUseConsole = !!me && roleAtLeast(me.role, 'operator')
  useEffect(() => {
    if (!canUseConsole) return
    return subscribe(
      (e) => {
        for (const l of listeners.current) l(e)
      },
      (ok) => {
        setConnected(ok)
        setDownSince((d) => (ok ? null : (d ?? new Date())))
      },
      {
        types: LIVE_TYPES,
        // A failover (or a console too far behind): every screen re-reads in place instead of a
        // page reload that would throw away what the operator is typing.
        onReset: () => {
          const signal: ConsoleEvent = {
            id: 0,
            type: DESK_RESET,
            at: new Date().toISOString(),
            data: null,
          }
          for (const l of listeners.current) l(signal)
          setRestored(true)
        },
      },
    )
  }, [canUseConsole])

  const listen = useCallback((fn: (e: ConsoleEvent) => void) => {
    listeners.current.add(fn)
    return () => {
      listeners.current.delete(fn)
    }
  }, [])

  const ctx = useMemo<ConsoleContextValue | null>(
    () => (me ? { config, me, path, navigate, listen, connected, onUnauthorized } : null),
    [config, me, path, navigate, listen, connected, onUnauthorized],
  )

  const visible = useMemo(
    () => (me ? SECTIONS.filter((s) => roleAtLeast(me.role, s.min)) : []),
    [me],
  )

  // Alt+1 … Alt+8 switch screens from anywhere, even while typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return
      // The same number always means the same screen, whatever the role hides.
      const target = visible.find((s) => SECTIONS.indexOf(s) + 1 === Number(e.key))
      if (!target) return
      e.preventDefault()
      navigate(target.path)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [visible, navigate])

  if (meError) return <p className="error">{meError}</p>
  if (!me || !ctx) return <p className="muted">{m.loading}</p>
  if (me.role === 'reporter' || me.role === 'display') {
    const reporter = me.role === 'reporter'
    return (
      <section className="card console-elsewhere">
        <p>{reporter ? m.reporterHere : m.displayHere}</p>
        <a className="button" href={reporter ? '/lapor' : '/papan'}>
          {reporter ? m.openForm : m.openBoard}
        </a>
      </section>
    )
  }
  const section = sectionFor(path.split('?')[0]!)
  const allowed = roleAtLeast(me.role, section.min)
  const Screen = section.component
  return (
    <ConsoleContext.Provider value={ctx}>
      <div className="console">
        <Nav sections={visible} current={section} />
        <div className={connected ? 'console-status ok' : 'console-status down'} role="status">
          {connected ? m.live : `${m.disconnected} ${downSince ? formatTimeWib(downSince) : ''}`}
          <span className="muted">
            {' '}
            · {m.signedInAs} {me.name} ({m.role[me.role] ?? me.role}) · {m.shortcutHint}
          </span>
        </div>
        {restored && (
          <div className="console-restored" role="alert" data-testid="desk-restored">
            <span>{m.deskRestored}</span>
            <button type="button" onClick={() => setRestored(false)}>
              {m.dismiss}
            </button>
          </div>
        )}
        <div className="console-body">
          {allowed ? <Screen key={section.path} /> : <p className="error">{m.notAllowed}</p>}
        </div>
      </div>
    </ConsoleContext.Provider>
  )
}

function Nav({ sections, current }: { sections: Section[]; current: Section }) {
  const m = useM()
  const { navigate } = useConsole()
  const { data: summary } = useLiveData<ConsoleSummaryDto>('/console/summary', LIVE_TYPES)
  return (
    <nav className="console-nav" aria-label="Konsol">
      {sections.map((s) => {
        const key = SECTIONS.indexOf(s) + 1
        const badge = summary && s.badge ? s.badge(summary) : 0
        return (
          <a
            key={s.path}
            href={s.path}
            className={s === current ? 'active' : undefined}
            aria-current={s === current ? 'page' : undefined}
            aria-keyshortcuts={`Alt+${key}`}
            onClick={(e) => {
              if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return
              e.preventDefault()
              navigate(s.path)
            }}
          >
            <span className="key">{key}</span> {s.label(m)}
            {badge > 0 && <span className="badge">{badge.toLocaleString('id-ID')}</span>}
          </a>
        )
      })}
      {/* Screens of other features: a full page load, as they draw their own layout. */}
      <a href="/rekap" className="external">
        {m.navRecap}
      </a>
      <a
        href="/papan"
        className="external"
        onClick={(e) => {
          // In the Electron window the board opens in its own window (on the second display).
          const open = window.deskShell?.openBoard
          if (!open) return
          e.preventDefault()
          void open()
        }}
      >
        {m.navBoard}
      </a>
    </nav>
  )
}
