import { useState, type FormEvent } from 'react'
import { api, ApiFailure, setToken } from './api'
import { useT } from './i18n'

export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const { t } = useT()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const token = code.trim()
    setToken(token)
    try {
      await api('/me')
      onSignedIn(token)
    } catch (err) {
      setToken(null)
      setError(err instanceof ApiFailure ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card sign-in" onSubmit={(e) => void submit(e)}>
      <h1>{t.signInTitle}</h1>
      <p>{t.signInHelp}</p>
      <label htmlFor="code">{t.accessCode}</label>
      <input
        id="code"
        // Operators sign in by keyboard: the code field takes the first keystroke.
        autoFocus
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        required
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || code.trim() === ''}>
        {t.signIn}
      </button>
    </form>
  )
}
