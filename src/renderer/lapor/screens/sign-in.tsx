import { useState, type FormEvent } from 'react'
import type { ConfigDto } from '../../../shared/api'

export function SignIn({
  config,
  busy,
  error,
  onSignIn,
}: {
  config: ConfigDto
  busy: boolean
  error: string | null
  onSignIn: (code: string) => void
}) {
  const [code, setCode] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (code.trim()) onSignIn(code.trim())
  }
  return (
    <div className="lapor">
      {config.training && <div className="training">MODE LATIHAN — data simulasi</div>}
      <main className="page">
        <h1>Lapor hasil TPS</h1>
        <p className="desk-name">
          {config.election.name}
          <br />
          <strong>{config.regency.name}</strong>
        </p>
        <form className="card" onSubmit={submit}>
          <label htmlFor="code">Kode akses</label>
          <input
            id="code"
            className="code-input"
            autoComplete="off"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            placeholder="XXXX-XXXX-XXXX"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
          />
          <p className="hint">
            Kode ada di kartu akses Anda. Atau pindai kode QR di kartu itu dengan kamera HP.
          </p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy || code.trim() === ''}>
            {busy ? 'Memeriksa…' : 'Masuk'}
          </button>
        </form>
      </main>
    </div>
  )
}
