import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ConfigDto, IntakeTpsListDto, SignInDto } from '../../shared/api'
import { call, HttpError, messageOf, NetworkError, saveCode, savedCode } from './api'
import { LaporContext, type Lapor, type View } from './context'
import { Outbox, type OutboxState } from './outbox'
import { HistoryView } from './screens/history-view'
import { IncidentForm } from './screens/incident-form'
import { OutboxView } from './screens/outbox-view'
import { Receipt } from './screens/receipt'
import { Review, SheetForm } from './screens/sheet-form'
import { SignIn } from './screens/sign-in'
import { TpsDetail } from './screens/tps-detail'
import { TpsList } from './screens/tps-list'
import { Verify } from './screens/verify'
import { Frame } from './screens/frame'

// What the phone remembers between visits, so the form opens with no signal.
const CACHE = { config: 'lapor.cache.config', me: 'lapor.cache.me', list: 'lapor.cache.list' }

function cached<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key)
    return raw ? (JSON.parse(raw) as T) : null
  } catch {
    return null
  }
}

function keep(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // storage full: the form still works from memory
  }
}

/** A code from the credential card's QR link (#code=…); removed from the address bar at once. */
function codeFromLink(): string | null {
  const m = /(?:^#|&)code=([^&]+)/.exec(window.location.hash)
  if (!m) return null
  window.history.replaceState(null, '', window.location.pathname)
  return decodeURIComponent(m[1]!)
}

export function LaporApp() {
  const [config, setConfig] = useState<ConfigDto | null>(() => cached<ConfigDto>(CACHE.config))
  const [configError, setConfigError] = useState<string | null>(null)
  const [me, setMe] = useState<SignInDto | null>(() =>
    savedCode() ? cached<SignInDto>(CACHE.me) : null,
  )
  const [signInError, setSignInError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const linkCode = useRef<string | null>(codeFromLink())

  const loadConfig = useCallback(async () => {
    try {
      const r = await call<ConfigDto>('GET', '/config', { code: null })
      setConfig(r.body)
      keep(CACHE.config, r.body)
      setConfigError(null)
    } catch (e) {
      setConfigError(messageOf(e))
    }
  }, [])

  const signIn = useCallback(async (code: string, quiet = false) => {
    setBusy(true)
    if (!quiet) setSignInError(null)
    try {
      const r = await call<SignInDto>('POST', '/auth/login', {
        body: { accessCode: code },
        code: null,
      })
      if (r.body.role !== 'reporter') {
        setSignInError(
          'Kode ini milik petugas desk, bukan pelapor lapangan. Buka konsol desk di laptop.',
        )
        return
      }
      saveCode(code.trim())
      keep(CACHE.me, r.body)
      setMe(r.body)
      setSignInError(null)
    } catch (e) {
      if (quiet && e instanceof NetworkError) return // offline: carry on with what the phone remembers
      if (quiet && e instanceof HttpError && e.status !== 401) return
      if (quiet) {
        saveCode(null)
        setMe(null)
      }
      setSignInError(messageOf(e))
    } finally {
      setBusy(false)
    }
  }, [])

  useEffect(() => {
    void loadConfig()
    const code = linkCode.current
    linkCode.current = null
    if (code) void signIn(code)
    else if (savedCode()) void signIn(savedCode()!, true)
  }, [loadConfig, signIn])

  const signOut = useCallback(() => {
    saveCode(null)
    keep(CACHE.me, null)
    keep(CACHE.list, null)
    setMe(null)
  }, [])

  if (!config) {
    return (
      <div className="lapor">
        <div className="page">
          <h1>Lapor hasil TPS</h1>
          {configError ? (
            <>
              <p className="error" role="alert">
                {configError}. Pastikan HP tersambung ke jaringan desk.
              </p>
              <button type="button" className="primary" onClick={() => void loadConfig()}>
                Coba lagi
              </button>
            </>
          ) : (
            <p>Memuat…</p>
          )}
        </div>
      </div>
    )
  }
  if (!me)
    return (
      <SignIn config={config} busy={busy} error={signInError} onSignIn={(c) => void signIn(c)} />
    )
  return <Session key={me.id} config={config} me={me} onSignOut={signOut} />
}

function Session({
  config,
  me,
  onSignOut,
}: {
  config: ConfigDto
  me: SignInDto
  onSignOut: () => void
}) {
  const outbox = useMemo(() => new Outbox(me.id), [me.id])
  const [box, setBox] = useState<OutboxState>(outbox.current)
  const [list, setList] = useState<IntakeTpsListDto | null>(() => {
    const c = cached<IntakeTpsListDto & { owner?: string }>(CACHE.list)
    return c && c.owner === me.id ? c : null
  })
  const [listAt, setListAt] = useState<number | null>(
    () => cached<{ fetchedAt?: number; owner?: string }>(CACHE.list)?.fetchedAt ?? null,
  )
  const [listError, setListError] = useState<string | null>(null)
  const [online, setOnline] = useState(navigator.onLine)
  // The phone's "online" only means it has a network; whether the desk answers is what matters.
  const [reachable, setReachable] = useState<boolean | null>(null)
  const [stack, setStack] = useState<View[]>([{ name: 'list' }])
  const stackRef = useRef(stack)
  stackRef.current = stack

  const refresh = useCallback(async () => {
    try {
      const r = await call<IntakeTpsListDto>('GET', '/intake/tps')
      const at = Date.now()
      setList(r.body)
      setListAt(at)
      setListError(null)
      setReachable(true)
      keep(CACHE.list, { ...r.body, owner: me.id, fetchedAt: at })
      // Is this still the desk that gave this phone its receipts? After a failover, resend what it lacks.
      void outbox.reconcile().catch(() => {})
    } catch (e) {
      setReachable(!(e instanceof NetworkError))
      setListError(e instanceof NetworkError ? null : messageOf(e))
      if (e instanceof HttpError && e.status === 401) onSignOut()
    }
  }, [me.id, onSignOut, outbox])

  // The outbox: load what waits on this phone, send it, and keep sending on a timer and when the
  // signal comes back.
  useEffect(() => {
    const unsubscribe = outbox.subscribe(setBox)
    void outbox.load().then(() => outbox.flush(true))
    const timer = setInterval(() => void outbox.flush(), 5_000)
    const onOnline = () => {
      setOnline(true)
      void outbox.flush(true)
      void refresh()
    }
    const onOffline = () => setOnline(false)
    const onVisible = () => {
      if (document.visibilityState === 'visible') void outbox.flush(true)
    }
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      unsubscribe()
      clearInterval(timer)
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [outbox, refresh])

  useEffect(() => {
    void refresh()
    const timer = setInterval(() => {
      if (navigator.onLine) void refresh()
    }, 60_000)
    return () => clearInterval(timer)
  }, [refresh])

  useEffect(() => {
    if (box.reachable !== null) setReachable(box.reachable)
  }, [box.reachable, box.sent.length, box.waiting.length])

  // While the desk does not answer, knock lightly; the moment it does, send what waits.
  useEffect(() => {
    if (reachable !== false) return
    const timer = setInterval(() => {
      call('GET', '/health', { code: null, timeoutMs: 4_000 }).then(
        () => {
          setReachable(true)
          void outbox.flush(true)
          void refresh()
        },
        () => {},
      )
    }, 4_000)
    return () => clearInterval(timer)
  }, [reachable, outbox, refresh])

  // Something was acknowledged: ask the desk for the new states.
  const lastSent = box.sent[0]?.id ?? ''
  useEffect(() => {
    if (lastSent) void refresh()
  }, [lastSent, refresh])

  // Each step is a history entry: the phone's Back button goes one step back, not out of the form.
  useEffect(() => {
    window.history.replaceState({ depth: 0 }, '')
    const onPop = (e: PopStateEvent) => {
      const depth =
        typeof (e.state as { depth?: unknown } | null)?.depth === 'number'
          ? (e.state as { depth: number }).depth
          : 0
      setStack((s) => s.slice(0, Math.max(1, depth + 1)))
    }
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])

  const navigate = useCallback((view: View, replace = false) => {
    const s = stackRef.current
    if (replace) {
      setStack([...s.slice(0, -1), view])
    } else {
      window.history.pushState({ depth: s.length }, '')
      setStack([...s, view])
    }
    window.scrollTo(0, 0)
  }, [])
  const back = useCallback(() => window.history.back(), [])
  const home = useCallback(() => {
    const depth = stackRef.current.length - 1
    if (depth > 0) window.history.go(-depth)
  }, [])
  const backTo = useCallback((name: View['name']) => {
    const s = stackRef.current
    const i = s.map((v) => v.name).lastIndexOf(name)
    if (i >= 0 && i < s.length - 1) window.history.go(i - (s.length - 1))
  }, [])

  const signOut = useCallback(() => {
    const waiting = outbox.current.waiting.length
    if (
      waiting > 0 &&
      !window.confirm(
        `${waiting} laporan masih menunggu dikirim. Laporan tetap tersimpan di HP ini dan terkirim saat Anda masuk lagi. Tetap keluar?`,
      )
    )
      return
    onSignOut()
  }, [outbox, onSignOut])

  const connection = !online ? 'no-signal' : reachable === false ? 'no-desk' : 'ok'
  const lapor: Lapor = {
    config,
    me,
    list,
    listAt,
    connection,
    outbox,
    box,
    navigate,
    back,
    backTo,
    home,
    refresh,
    signOut,
  }
  const view = stack[stack.length - 1]!
  let screen
  switch (view.name) {
    case 'list':
      screen = <TpsList error={listError} stale={reachable === false} />
      break
    case 'tps':
      screen = <TpsDetail code={view.tps} />
      break
    case 'sheet':
      screen = (
        <SheetForm
          key={`${view.tps}|${view.contest}|${view.correction}`}
          tps={view.tps}
          contest={view.contest}
          correction={view.correction}
        />
      )
      break
    case 'review':
      screen = <Review tps={view.tps} contest={view.contest} correction={view.correction} />
      break
    case 'receipt':
      screen = <Receipt id={view.id} {...(view.tps ? { tps: view.tps } : {})} />
      break
    case 'incident':
      screen = <IncidentForm {...(view.tps ? { tps: view.tps } : {})} />
      break
    case 'verify':
      screen = <Verify />
      break
    case 'outbox':
      screen = <OutboxView />
      break
    case 'history':
      screen = <HistoryView />
      break
  }
  return (
    <LaporContext.Provider value={lapor}>
      <Frame>{screen}</Frame>
    </LaporContext.Provider>
  )
}
