import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import type { ImportedUserDto, RegionsDto, RowError, SignInWindowDto, UserDto } from '../../../shared/api'
import { RowErrorList } from '../row-errors'
import { formatDateTimeWib } from '../../../shared/format'
import { api, ApiFailure } from '../api'
import type { ScreenProps } from '../routes'
import { CredentialSheet, type CredentialCard } from './credential-sheet'
import { forgetIssuedCodes, issuedCodes, rememberIssuedCodes, type IssuedCode } from './issued-codes'
import { CARD_MESSAGES, useCredentialMessages, type CredentialMessages } from './messages'
import './credentials.css'
import { AddPersonForm } from '../add-person-form'
import { emptyWibDateTime, readWibDateTime, WibDateTimeField, wibDateTimeOf, type WibDateTimeValue } from '../wib-datetime'



const URL_KEY = 'desk.kredensial.url'
const LOOPBACK = /^https?:\/\/(127\.|localhost|\[::1\])/i

function errorText(e: unknown): string {
  return e instanceof ApiFailure || e instanceof Error ? e.message : String(e)
}

/** Names of regions for labels: "Desa/Kel. Padomasan, Kec. Jombang". */
function regionLabeller(regions: RegionsDto | null, m: CredentialMessages) {
  const names = new Map<string, string>()
  if (regions) {
    names.set(regions.regency.code, regions.regency.name)
    for (const k of regions.kecamatan) {
      names.set(k.code, `${m.kecamatanPrefix} ${k.name}`)
      for (const d of k.desa) names.set(d.code, `${m.desaPrefix} ${d.name}, ${m.kecPrefix} ${k.name}`)
    }
  }
  return (code: string) => names.get(code) ?? code
}

function roleLabel(role: string, region: string, m: CredentialMessages): string {
  if (role === 'reporter') return region.split('.').length === 3 ? m.roles.reporterKecamatan : m.roles.reporterDesa
  return m.roles[role as 'operator' | 'supervisor' | 'display'] ?? role
}


/**
 * /kredensial (admin): issue access codes — import the reporter list, add one person, or give
 * someone a new code — and print the credential sheet for the codes issued in this tab. Also sets
 * the hours reporters may sign in.
 */
export function CredentialsScreen({ config }: ScreenProps) {
  const m = useCredentialMessages()
  const [regions, setRegions] = useState<RegionsDto | null>(null)
  const [addresses, setAddresses] = useState<string[]>([])
  const [deskUrl, setDeskUrl] = useState(() => localStorage.getItem(URL_KEY) ?? '')
  const [issued, setIssued] = useState<IssuedCode[]>(() => issuedCodes())
  const [forbidden, setForbidden] = useState(false)
  const [qrReady, setQrReady] = useState(false)

  useEffect(() => {
    void api<RegionsDto>('/regions').then(setRegions)
    api<{ urls: { url: string }[] }>('/intake/addresses').then(
      (r) => {
        const lan = r.urls.map((u) => u.url)
        const here = window.location.origin
        const list = [...new Set([...(LOOPBACK.test(here) ? [] : [here]), ...lan, here])]
        setAddresses(list)
        setDeskUrl((current) => current || list[0] || here)
      },
      (e: unknown) => {
        if (e instanceof ApiFailure && (e.status === 403 || e.status === 401)) setForbidden(true)
        setDeskUrl((current) => current || window.location.origin)
      },
    )
  }, [])

  useEffect(() => {
    if (deskUrl) localStorage.setItem(URL_KEY, deskUrl)
  }, [deskUrl])

  const label = useMemo(() => regionLabeller(regions, m), [regions, m])
  const cardLabel = useMemo(() => regionLabeller(regions, CARD_MESSAGES), [regions])
  const remember = useCallback((codes: Omit<IssuedCode, 'issuedAt'>[]) => setIssued(rememberIssuedCodes(codes)), [])

  const cards: CredentialCard[] = issued.map((c) => ({
    id: c.id,
    name: c.name,
    roleLabel: roleLabel(c.role, c.region, CARD_MESSAGES),
    regionLabel: cardLabel(c.region),
    accessCode: c.accessCode,
  }))

  if (forbidden) {
    return (
      <section className="credentials-screen">
        <h1>{m.title}</h1>
        <p className="error">{m.adminOnly}</p>
      </section>
    )
  }

  return (
    <section className="credentials-screen">
      <h1>{m.title}</h1>
      <p className="muted">{m.intro}</p>
      <div className="credentials-grid">
        <DeskAddress m={m} addresses={addresses} value={deskUrl} onChange={setDeskUrl} />
        <ImportCard m={m} onImported={remember} />
        <AddPersonForm title={m.addTitle} submitLabel={m.add} regions={regions} layout="stack" className="card add-person" onAdded={(c) => remember([c])} />
        <Reissue m={m} label={label} refreshKey={issued.map((c) => `${c.id}@${c.issuedAt}`).join()} onReissued={(c) => remember([c])} />
        <WindowCard m={m} />
      </div>
      <div className="card issued">
        <h2>{m.issuedTitle(issued.length)}</h2>
        {issued.length === 0 ? (
          <p className="muted">{m.none}</p>
        ) : (
          <>
            <table>
              <thead>
                <tr>
                  <th>{m.name}</th>
                  <th>{m.role}</th>
                  <th>{m.region}</th>
                  <th>{m.code}</th>
                </tr>
              </thead>
              <tbody>
                {issued.map((c) => (
                  <tr key={c.id} data-user={c.id}>
                    <td>{c.name}</td>
                    <td>{roleLabel(c.role, c.region, m)}</td>
                    <td>{label(c.region)}</td>
                    <td className="access-code">{c.accessCode}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="row">
              <button type="button" disabled={!qrReady || !deskUrl} onClick={() => window.print()}>
                {qrReady ? m.print : m.preparing}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  if (window.confirm(m.confirmForget)) setIssued(forgetIssuedCodes())
                }}
              >
                {m.forget}
              </button>
            </div>
          </>
        )}
      </div>
      {issued.length > 0 && deskUrl && (
        <>
          <h2 className="preview-title">{m.preview}</h2>
          {/* Page setup only while this screen is open: other screens print their own way. */}
          <style>{'@page { size: A4 portrait; margin: 10mm; }'}</style>
          <CredentialSheet
            cards={cards}
            deskUrl={deskUrl}
            deskName={`${config.election.name} · ${config.regency.name}`}
            training={config.training}
            onReady={setQrReady}
          />
        </>
      )}
    </section>
  )
}

function DeskAddress({ m, addresses, value, onChange }: { m: CredentialMessages; addresses: string[]; value: string; onChange: (v: string) => void }) {
  const [custom, setCustom] = useState(false)
  const inList = addresses.includes(value)
  return (
    <div className="card">
      <h2>{m.deskAddress}</h2>
      <p className="muted">{m.deskAddressHelp}</p>
      {!custom && (inList || value === '') ? (
        <select
          aria-label={m.deskAddress}
          value={value}
          onChange={(e) => {
            if (e.target.value === '*') setCustom(true)
            else onChange(e.target.value)
          }}
        >
          {addresses.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
          <option value="*">{m.custom}</option>
        </select>
      ) : (
        <input aria-label={m.deskAddress} value={value} placeholder="http://192.168.1.10:4046" onChange={(e) => onChange(e.target.value.trim())} />
      )}
      {LOOPBACK.test(value) && <p className="error">{m.loopbackWarning}</p>}
    </div>
  )
}

function ImportCard({ m, onImported }: { m: CredentialMessages; onImported: (codes: Omit<IssuedCode, 'issuedAt'>[]) => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [rows, setRows] = useState<RowError[]>([])

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!file) return
    setBusy(true)
    setDone(null)
    setError(null)
    setRows([])
    try {
      const r = await api<{ users: ImportedUserDto[] }>('/users/import', { method: 'POST', body: file })
      onImported(r.users.map((u) => ({ id: u.id, name: u.name, role: u.role, region: u.region, accessCode: u.accessCode })))
      setDone(m.imported(r.users.length))
    } catch (err) {
      setError(errorText(err))
      if (err instanceof ApiFailure) setRows(err.body?.error.rows ?? [])
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)}>
      <h2>{m.importTitle}</h2>
      <p className="muted">{m.importHelp}</p>
      <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      <button type="submit" disabled={!file || busy}>
        {busy ? m.importing : m.importButton}
      </button>
      {done && <p className="ok">{done}</p>}
      {error && (
        <div className="error" role="alert">
          <p>{rows.length > 0 ? m.rowErrors : error}</p>
          {rows.length > 0 && <RowErrorList rows={rows} rowLabel={m.row} />}
        </div>
      )}
    </form>
  )
}

function Reissue({
  m,
  label,
  refreshKey,
  onReissued,
}: {
  m: CredentialMessages
  label: (code: string) => string
  /** Changes whenever codes were issued here: the list of people is read again. */
  refreshKey: string
  onReissued: (c: Omit<IssuedCode, 'issuedAt'>) => void
}) {
  const [users, setUsers] = useState<UserDto[] | null>(null)
  const [query, setQuery] = useState('')
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    api<{ users: UserDto[] }>('/users').then(
      (r) => setUsers(r.users),
      (e: unknown) => setError(errorText(e)),
    )
  }, [])
  useEffect(load, [load, refreshKey])

  const q = query.trim().toLowerCase()
  const found = q.length < 2 || !users ? [] : users.filter((u) => `${u.name} ${label(u.region)} ${u.region}`.toLowerCase().includes(q))
  const act = async (u: UserDto, what: 'reissue' | 'revoke') => {
    if (!window.confirm(what === 'reissue' ? m.confirmReissue(u.name) : m.confirmRevoke(u.name))) return
    setError(null)
    try {
      const r = await api<{ accessCode?: string }>(`/users/${encodeURIComponent(u.id)}/${what}`, { method: 'POST' })
      if (what === 'reissue' && r.accessCode) onReissued({ id: u.id, name: u.name, role: u.role, region: u.region, accessCode: r.accessCode })
      load()
    } catch (e) {
      setError(errorText(e))
    }
  }

  return (
    <div className="card">
      <h2>{m.reissueTitle}</h2>
      <p className="muted">{m.reissueHelp}</p>
      <input aria-label={m.search} placeholder={m.search} value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="people-found">
        {found.slice(0, 20).map((u) => (
          <li key={u.id} data-user={u.id}>
            <span>
              <strong>{u.name}</strong> · {label(u.region)}
              {u.revokedAt ? ` · ${m.revoked}` : ''}
            </span>
            <span className="row">
              <button type="button" className="small" onClick={() => void act(u, 'reissue')}>
                {m.reissue}
              </button>
              {!u.revokedAt && (
                <button type="button" className="small secondary" onClick={() => void act(u, 'revoke')}>
                  {m.revoke}
                </button>
              )}
            </span>
          </li>
        ))}
        {found.length > 20 && <li className="muted">{m.more(found.length - 20)}</li>}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

function WindowCard({ m }: { m: CredentialMessages }) {
  const [window_, setWindow] = useState<SignInWindowDto | null>(null)
  const [opens, setOpens] = useState<WibDateTimeValue>(emptyWibDateTime)
  const [closes, setCloses] = useState<WibDateTimeValue>(emptyWibDateTime)
  const [error, setError] = useState<string | null>(null)
  const show = (w: SignInWindowDto) => {
    setWindow(w)
    setOpens(wibDateTimeOf(w.opensAt))
    setCloses(wibDateTimeOf(w.closesAt))
  }
  useEffect(() => {
    api<SignInWindowDto>('/intake/window').then(show, (e: unknown) => setError(errorText(e)))
  }, [])
  const save = async (opensAt: string | null, closesAt: string | null) => {
    setError(null)
    try {
      show(await api<SignInWindowDto>('/intake/window', { method: 'PUT', body: JSON.stringify({ opensAt, closesAt }) }))
    } catch (e) {
      setError(errorText(e))
    }
  }
  return (
    <form
      className="card window"
      onSubmit={(e) => {
        e.preventDefault()
        const a = readWibDateTime(opens, m.opensAt)
        const b = readWibDateTime(closes, m.closesAt)
        if ('error' in a || 'error' in b) {
          setError(['error' in a ? a.error : '', 'error' in b ? b.error : ''].filter(Boolean).join(' · '))
          return
        }
        void save(a.iso, b.iso)
      }}
    >
      <h2>{m.windowTitle}</h2>
      <p className="muted">{m.windowHelp}</p>
      <WibDateTimeField label={m.opensAt} value={opens} onChange={setOpens} dateLabel={m.dateWord} timeLabel={m.timeWord} />
      <WibDateTimeField label={m.closesAt} value={closes} onChange={setCloses} dateLabel={m.dateWord} timeLabel={m.timeWord} />
      <div className="row">
        <button type="submit">{m.save}</button>
        <button type="button" className="secondary" onClick={() => void save(null, null)}>
          {m.clear}
        </button>
      </div>
      {window_ && (
        <p className={window_.open ? 'ok' : 'error'} data-testid="window-state">
          {window_.open ? m.windowOpen : m.windowClosed}
          {window_.opensAt || window_.closesAt
            ? ` (${window_.opensAt ? formatDateTimeWib(window_.opensAt) : '…'} – ${window_.closesAt ? formatDateTimeWib(window_.closesAt) : '…'})`
            : ''}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
