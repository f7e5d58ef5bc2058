import { useCallback, useEffect, useMemo, useState } from 'react'
import type { ConfigDto } from '../../shared/api'
import '../../shared/shell'
import { adoptTokenFromUrl, api, getToken, setToken } from './api'
import { LangContext, MESSAGES, type Lang } from './i18n'
import { matchRoute } from './routes'
import { SignIn } from './sign-in'

export function App() {
  const [lang, setLang] = useState<Lang>(() =>
    localStorage.getItem('desk.lang') === 'en' ? 'en' : 'id',
  )
  const [token, setTokenState] = useState<string | null>(() => adoptTokenFromUrl() ?? getToken())
  const [config, setConfig] = useState<ConfigDto | null>(null)
  const t = MESSAGES[lang]
  const route = matchRoute(window.location.pathname)

  useEffect(() => {
    localStorage.setItem('desk.lang', lang)
    document.documentElement.lang = lang
  }, [lang])

  useEffect(() => {
    void api<ConfigDto>('/config').then(setConfig)
  }, [])

  // The local Electron window is the desk's own console: signed in as admin without a code.
  useEffect(() => {
    if (token || !window.deskShell) return
    void window.deskShell.session().then(({ token: tk }) => {
      setToken(tk)
      setTokenState(tk)
    })
  }, [token])

  const ctx = useMemo(() => ({ lang, t, setLang }), [lang, t])
  const signOut = useCallback(() => {
    setToken(null)
    setTokenState(null)
  }, [])
  const Screen = route.component
  const needsSignIn = !route.public && !token
  const body = needsSignIn ? (
    <SignIn
      onSignedIn={(tk) => {
        setToken(tk)
        setTokenState(tk)
      }}
    />
  ) : config ? (
    <Screen config={config} onUnauthorized={signOut} />
  ) : (
    <p>{t.loading}</p>
  )
  if (route.bare && !needsSignIn)
    return <LangContext.Provider value={ctx}>{body}</LangContext.Provider>
  return (
    <LangContext.Provider value={ctx}>
      {config?.training && <div className="training-banner">{t.training}</div>}
      <header className="topbar">
        <div className="title">
          <strong>{t.appTitle}</strong>
          {config && <span className="regency">{config.regency.name}</span>}
        </div>
        <div className="disclaimer">{t.notOfficial}</div>
        <div className="actions">
          <button
            type="button"
            className="link"
            onClick={() => setLang(lang === 'id' ? 'en' : 'id')}
          >
            {t.language}
          </button>
          {token && !route.public && (
            <button type="button" className="link" onClick={signOut}>
              {t.signOut}
            </button>
          )}
        </div>
      </header>
      <main>{body}</main>
    </LangContext.Provider>
  )
}
