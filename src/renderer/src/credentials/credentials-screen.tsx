import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import type {
  ImportedUserDto,
  RegionsDto,
  RowError,
  SignInWindowDto,
  UserDto,
} from '../../../shared/api'
import {
  hostOf,
  isLanHost,
  isLoopbackHost,
  selectPeople,
  type CardAddressesDto,
  type PeopleSelection,
  type PublicUrlDto,
} from '../../../shared/cards'
import { RowErrorList } from '../row-errors'
import { formatDateTimeWib } from '../../../shared/format'
import { api, ApiFailure } from '../api'
import type { ScreenProps } from '../routes'
import { CredentialSheet, cardKind, type CredentialCard } from './credential-sheet'
import {
  forgetIssuedCodes,
  issuedCodes,
  rememberIssuedCodes,
  type IssuedCode,
} from './issued-codes'
import { CARD_MESSAGES, useCredentialMessages, type CredentialMessages } from './messages'
import './credentials.css'
import { AddPersonForm, ROLES } from '../add-person-form'
import {
  emptyWibDateTime,
  readWibDateTime,
  WibDateTimeField,
  wibDateTimeOf,
  type WibDateTimeValue,
} from '../wib-datetime'

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
      for (const d of k.desa)
        names.set(d.code, `${m.desaPrefix} ${d.name}, ${m.kecPrefix} ${k.name}`)
    }
  }
  return (code: string) => names.get(code) ?? code
}

function roleLabel(role: string, region: string, m: CredentialMessages): string {
  if (role === 'reporter')
    return region.split('.').length === 3 ? m.roles.reporterKecamatan : m.roles.reporterDesa
  return m.roles[role as 'operator' | 'supervisor' | 'display'] ?? role
}

interface AddressOption {
  url: string
  label: string
  kind: 'public' | 'lan' | 'other'
}

/** The addresses to offer, from the desk's answer plus the address this screen was opened at. */
function addressOptions(info: CardAddressesDto | null, m: CredentialMessages): AddressOption[] {
  const out: AddressOption[] = (info?.urls ?? []).map((u) => ({
    url: u.url,
    kind: u.kind,
    label: `${u.url} (${u.kind === 'public' ? m.kindPublic : m.kindLan(u.interface)})`,
  }))
  const here = window.location.origin
  if (!isLoopbackHost(hostOf(here)) && !out.some((o) => o.url === here)) {
    out.push({
      url: here,
      kind: isLanHost(hostOf(here)) ? 'lan' : 'other',
      label: `${here} (${m.kindHere})`,
    })
  }
  return out
}

/**
 * What is pre-selected never is an address the phones cannot reach: the public URL when there is
 * one, else a LAN address the desk serves, else nothing (and the screen says why).
 */
function defaultReporterUrl(options: AddressOption[]): string {
  return (
    (options.find((o) => o.kind === 'public') ?? options.find((o) => o.kind === 'lan'))?.url ?? ''
  )
}
function defaultStaffUrl(options: AddressOption[]): string {
  return options.find((o) => o.kind === 'lan')?.url ?? ''
}

/**
 * /kredensial (admin): issue access codes — import the list, add one person, give someone (or many
 * people) a new code — and print the cards for the codes issued in this tab: reporters' cards open
 * /lapor at the public address, staff cards send them to the console on a LAN laptop, wall-board
 * cards open /papan signed in. Also sets the hours reporters may sign in.
 */
export function CredentialsScreen({ config }: ScreenProps) {
  const m = useCredentialMessages()
  const [regions, setRegions] = useState<RegionsDto | null>(null)
  const [info, setInfo] = useState<CardAddressesDto | null>(null)
  const [reporterUrl, setReporterUrl] = useState('')
  const [staffUrl, setStaffUrl] = useState('')
  const [issued, setIssued] = useState<IssuedCode[]>(() => issuedCodes())
  const [onlyLatest, setOnlyLatest] = useState(false)
  const [forbidden, setForbidden] = useState(false)
  const [qrReady, setQrReady] = useState(false)

  const loadAddresses = useCallback(
    (prefer?: { reporter?: boolean }) =>
      api<CardAddressesDto>('/intake/addresses').then(
        (r) => {
          setInfo(r)
          const options = addressOptions(r, m)
          setReporterUrl((current) =>
            prefer?.reporter || !current ? defaultReporterUrl(options) : current,
          )
          setStaffUrl((current) => current || defaultStaffUrl(options))
        },
        (e: unknown) => {
          if (e instanceof ApiFailure && (e.status === 403 || e.status === 401)) setForbidden(true)
        },
      ),
    [m],
  )

  useEffect(() => {
    void api<RegionsDto>('/regions').then(setRegions)
    void loadAddresses()
    // Once on opening: loadAddresses changes with the language, which must not re-read the addresses.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mount only
  }, [])

  const label = useMemo(() => regionLabeller(regions, m), [regions, m])
  const cardLabel = useMemo(() => regionLabeller(regions, CARD_MESSAGES), [regions])
  const remember = useCallback((codes: Omit<IssuedCode, 'issuedAt'>[], bulk = false) => {
    setIssued(rememberIssuedCodes(codes))
    setOnlyLatest(bulk)
  }, [])

  // Codes issued together share their time: "the latest run" is the codes with the newest one.
  const latestAt = issued.reduce((max, c) => (c.issuedAt > max ? c.issuedAt : max), '')
  const latest = issued.filter((c) => c.issuedAt === latestAt)
  const printed = onlyLatest && latest.length < issued.length ? latest : issued
  const cards: CredentialCard[] = printed.map((c) => ({
    id: c.id,
    name: c.name,
    role: c.role,
    roleLabel: roleLabel(c.role, c.region, CARD_MESSAGES),
    regionLabel: cardLabel(c.region),
    accessCode: c.accessCode,
    ...(c.smsCode ? { smsCode: c.smsCode } : {}),
  }))
  const needsReporter = printed.some((c) => cardKind(c.role) === 'lapor')
  const needsStaff = printed.some((c) => cardKind(c.role) !== 'lapor')
  const canPrint =
    qrReady && (!needsReporter || reporterUrl !== '') && (!needsStaff || staffUrl !== '')

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
        <Addresses
          m={m}
          info={info}
          reporterUrl={reporterUrl}
          staffUrl={staffUrl}
          onReporterUrl={setReporterUrl}
          onStaffUrl={setStaffUrl}
          onPublicUrlChanged={() => void loadAddresses({ reporter: true })}
        />
        <ImportCard m={m} onImported={(codes) => remember(codes)} />
        <AddPersonForm
          title={m.addTitle}
          submitLabel={m.add}
          regions={regions}
          layout="stack"
          className="card add-person"
          onAdded={(c) => remember([c])}
        />
        <Reissue
          m={m}
          label={label}
          refreshKey={issued.map((c) => `${c.id}@${c.issuedAt}`).join()}
          onReissued={(c) => remember([c])}
        />
        <BulkReissue
          m={m}
          regions={regions}
          refreshKey={issued.map((c) => `${c.id}@${c.issuedAt}`).join()}
          onReissued={(codes) => remember(codes, true)}
        />
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
                  <th>SMS</th>
                </tr>
              </thead>
              <tbody>
                {issued.map((c) => (
                  <tr key={c.id} data-user={c.id}>
                    <td>{c.name}</td>
                    <td>{roleLabel(c.role, c.region, m)}</td>
                    <td>{label(c.region)}</td>
                    <td className="access-code">{c.accessCode}</td>
                    <td className="sms-code">{c.smsCode ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {latest.length < issued.length && (
              <fieldset className="print-choice">
                <legend>{m.printWhich}</legend>
                <label>
                  <input
                    type="radio"
                    name="print-which"
                    checked={!onlyLatest}
                    onChange={() => setOnlyLatest(false)}
                  />
                  {m.printAll(issued.length)}
                </label>
                <label>
                  <input
                    type="radio"
                    name="print-which"
                    checked={onlyLatest}
                    onChange={() => setOnlyLatest(true)}
                  />
                  {m.printLatest(latest.length)}
                </label>
              </fieldset>
            )}
            {needsReporter && reporterUrl === '' && <p className="warn">{m.chooseReporterUrl}</p>}
            {needsStaff && staffUrl === '' && <p className="warn">{m.chooseStaffUrl}</p>}
            <div className="row">
              <button type="button" disabled={!canPrint} onClick={() => window.print()}>
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
      {cards.length > 0 && (
        <>
          <h2 className="preview-title">{m.preview}</h2>
          {/* Page setup only while this screen is open: other screens print their own way. */}
          <style>{'@page { size: A4 portrait; margin: 10mm; }'}</style>
          <CredentialSheet
            cards={cards}
            reporterUrl={reporterUrl}
            staffUrl={staffUrl}
            deskName={`${config.election.name} · ${config.regency.name}`}
            training={config.training}
            onReady={setQrReady}
          />
        </>
      )}
    </section>
  )
}

function Addresses({
  m,
  info,
  reporterUrl,
  staffUrl,
  onReporterUrl,
  onStaffUrl,
  onPublicUrlChanged,
}: {
  m: CredentialMessages
  info: CardAddressesDto | null
  reporterUrl: string
  staffUrl: string
  onReporterUrl: (v: string) => void
  onStaffUrl: (v: string) => void
  onPublicUrlChanged: () => void
}) {
  const options = addressOptions(info, m)
  const pub = info?.publicUrl ?? null
  const reporterHost = hostOf(reporterUrl)
  const reporterIsLan =
    options.some((o) => o.url === reporterUrl && o.kind === 'lan') || isLanHost(reporterHost)
  const staffHost = hostOf(staffUrl)
  return (
    <div className="card addresses">
      <h2>{m.addressesTitle}</h2>
      {info?.loopbackOnly && (
        <p className={pub ? 'warn' : 'error'} role="alert" data-testid="loopback-only">
          {withFlags(pub ? m.loopbackOnlyWithPublic : m.loopbackOnly)}
        </p>
      )}
      <PublicUrlForm m={m} info={info} onSaved={onPublicUrlChanged} />
      <AddressPicker
        m={m}
        label={m.deskAddress}
        help={m.deskAddressHelp}
        options={options}
        value={reporterUrl}
        onChange={onReporterUrl}
      />
      {isLoopbackHost(reporterHost) && <p className="error">{m.loopbackWarning}</p>}
      {pub && reporterUrl !== pub && reporterIsLan && (
        <p className="warn" data-testid="lan-while-public">
          {m.lanWhilePublic(pub)}
        </p>
      )}
      {/* Staff work on the office LAN: the public URL (the proxy, usually not reachable from inside, and
          refusing staff codes from outside) is never offered here. Typed by hand it still warns. */}
      <AddressPicker
        m={m}
        label={m.staffAddress}
        help={m.staffAddressHelp}
        options={options.filter((o) => o.kind !== 'public')}
        value={staffUrl}
        onChange={onStaffUrl}
      />
      {isLoopbackHost(staffHost) && <p className="warn">{m.staffLoopback}</p>}
      {staffUrl !== '' && staffUrl === pub && !isLanHost(staffHost) && (
        <p className="warn">{m.staffPublic}</p>
      )}
    </div>
  )
}

/** Command-line flags in a sentence kept whole (a line break inside `--host` reads as `-` `-host`). */
function withFlags(text: string) {
  return text.split(/(--[a-z-]+(?: 0\.0\.0\.0)?)/).map((part, i) =>
    i % 2 === 1 ? (
      <code key={i} className="flag">
        {part}
      </code>
    ) : (
      part
    ),
  )
}

function PublicUrlForm({
  m,
  info,
  onSaved,
}: {
  m: CredentialMessages
  info: CardAddressesDto | null
  onSaved: () => void
}) {
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    setValue(info?.publicUrl ?? '')
  }, [info?.publicUrl])
  const send = async (method: 'PUT' | 'DELETE') => {
    setBusy(true)
    setError(null)
    try {
      const r = await api<PublicUrlDto>(
        '/intake/public-url',
        method === 'PUT' ? { method, body: JSON.stringify({ publicUrl: value }) } : { method },
      )
      setValue(r.publicUrl ?? '')
      onSaved()
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="public-url"
      onSubmit={(e) => {
        e.preventDefault()
        void send('PUT')
      }}
    >
      <label htmlFor="public-url">{m.publicUrl}</label>
      <p className="muted note">{m.publicUrlHelp}</p>
      <input
        id="public-url"
        value={value}
        placeholder="https://desk-pilkada.jemberkab.go.id"
        aria-invalid={error ? true : undefined}
        onChange={(e) => setValue(e.target.value)}
      />
      <div className="row">
        <button
          type="submit"
          className="small"
          disabled={busy || value.trim() === '' || value.trim() === info?.publicUrl}
        >
          {m.publicUrlSave}
        </button>
        {info?.source === 'admin' && (
          <button
            type="button"
            className="small secondary"
            disabled={busy}
            onClick={() => void send('DELETE')}
          >
            {m.publicUrlClear}
          </button>
        )}
      </div>
      <p className="muted note" data-testid="public-url-source">
        {withFlags(
          info?.source === 'flag'
            ? m.publicUrlFromFlag
            : info?.source === 'admin'
              ? m.publicUrlFromAdmin(info.flag)
              : m.publicUrlNone,
        )}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}

function AddressPicker({
  m,
  label,
  help,
  options,
  value,
  onChange,
}: {
  m: CredentialMessages
  label: string
  help: string
  options: AddressOption[]
  value: string
  onChange: (v: string) => void
}) {
  const [custom, setCustom] = useState(false)
  const inList = options.some((o) => o.url === value)
  return (
    <div className="address-picker">
      <strong>{label}</strong>
      <p className="muted note">{help}</p>
      {!custom && (inList || value === '') ? (
        <select
          aria-label={label}
          value={value}
          onChange={(e) => {
            if (e.target.value === '*') setCustom(true)
            else onChange(e.target.value)
          }}
        >
          {value === '' && <option value="">{m.choose}</option>}
          {options.map((o) => (
            <option key={o.url} value={o.url}>
              {o.label}
            </option>
          ))}
          <option value="*">{m.custom}</option>
        </select>
      ) : (
        <div className="row">
          <input
            aria-label={label}
            value={value}
            placeholder="http://192.168.1.10:4046"
            onChange={(e) => onChange(e.target.value.trim())}
          />
          <button
            type="button"
            className="small secondary"
            onClick={() => {
              setCustom(false)
              if (!inList) onChange('')
            }}
          >
            {m.fromList}
          </button>
        </div>
      )}
    </div>
  )
}

function ImportCard({
  m,
  onImported,
}: {
  m: CredentialMessages
  onImported: (codes: Omit<IssuedCode, 'issuedAt'>[]) => void
}) {
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
      const r = await api<{ users: ImportedUserDto[] }>('/users/import', {
        method: 'POST',
        body: file,
      })
      onImported(
        r.users.map((u) => ({
          id: u.id,
          name: u.name,
          role: u.role,
          region: u.region,
          accessCode: u.accessCode,
          smsCode: u.smsCode,
        })),
      )
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
      <input
        type="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
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
  const found =
    q.length < 2 || !users
      ? []
      : users.filter((u) => `${u.name} ${label(u.region)} ${u.region}`.toLowerCase().includes(q))
  const act = async (u: UserDto, what: 'reissue' | 'revoke') => {
    if (!window.confirm(what === 'reissue' ? m.confirmReissue(u.name) : m.confirmRevoke(u.name)))
      return
    setError(null)
    try {
      const r = await api<{ accessCode?: string; smsCode?: string }>(
        `/users/${encodeURIComponent(u.id)}/${what}`,
        { method: 'POST' },
      )
      if (what === 'reissue' && r.accessCode)
        onReissued({
          id: u.id,
          name: u.name,
          role: u.role,
          region: u.region,
          accessCode: r.accessCode,
          ...(r.smsCode ? { smsCode: r.smsCode } : {}),
        })
      load()
    } catch (e) {
      setError(errorText(e))
    }
  }

  return (
    <div className="card">
      <h2>{m.reissueTitle}</h2>
      <p className="muted">{m.reissueHelp}</p>
      <input
        aria-label={m.search}
        placeholder={m.search}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
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
                <button
                  type="button"
                  className="small secondary"
                  onClick={() => void act(u, 'revoke')}
                >
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

function BulkReissue({
  m,
  regions,
  refreshKey,
  onReissued,
}: {
  m: CredentialMessages
  regions: RegionsDto | null
  refreshKey: string
  onReissued: (codes: Omit<IssuedCode, 'issuedAt'>[]) => void
}) {
  const [users, setUsers] = useState<UserDto[] | null>(null)
  const [kecamatan, setKecamatan] = useState('')
  const [role, setRole] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    api<{ users: UserDto[] }>('/users').then(
      (r) => setUsers(r.users),
      (e: unknown) => setError(errorText(e)),
    )
  }, [])
  useEffect(load, [load, refreshKey])

  const selection: PeopleSelection =
    kecamatan || role
      ? {
          ...(kecamatan ? { region: kecamatan } : {}),
          ...(role ? { role: role as PeopleSelection['role'] } : {}),
        }
      : { all: true }
  // The same rule the desk applies; the desk refuses the run if its count differs from this one.
  const count = users ? selectPeople(users, selection).length : 0
  const kecName = regions?.kecamatan.find((k) => k.code === kecamatan)?.name
  const roleName = role
    ? role === 'reporter'
      ? m.bulkReporters
      : m.roles[role as 'operator' | 'supervisor' | 'display']
    : null
  const what =
    [kecName ? `${m.kecPrefix} ${kecName}` : null, roleName].filter(Boolean).join(', ') ||
    m.everyone

  const run = async () => {
    setBusy(true)
    setError(null)
    try {
      const r = await api<{ reissued: number; users: ImportedUserDto[] }>('/users/reissue', {
        method: 'POST',
        body: JSON.stringify({ ...selection, expect: count }),
      })
      onReissued(
        r.users.map((u) => ({
          id: u.id,
          name: u.name,
          role: u.role,
          region: u.region,
          accessCode: u.accessCode,
          smsCode: u.smsCode,
        })),
      )
      setDone(m.bulkDone(r.reissued))
    } catch (e) {
      setError(errorText(e))
      load()
    } finally {
      setBusy(false)
      setConfirming(false)
    }
  }

  /** A new selection: any question asked or answer shown was about the previous one. */
  const choose = (set: (value: string) => void, value: string) => {
    set(value)
    setConfirming(false)
    setDone(null)
  }

  return (
    <div className="card bulk-reissue">
      <h2>{m.bulkTitle}</h2>
      <p className="muted">{m.bulkHelp}</p>
      <label htmlFor="bulk-kecamatan">{m.bulkKecamatan}</label>
      <select
        id="bulk-kecamatan"
        value={kecamatan}
        disabled={busy}
        onChange={(e) => choose(setKecamatan, e.target.value)}
      >
        <option value="">{m.bulkAllKecamatan}</option>
        {regions?.kecamatan.map((k) => (
          <option key={k.code} value={k.code}>
            {k.name}
          </option>
        ))}
      </select>
      <label htmlFor="bulk-role">{m.bulkRole}</label>
      <select
        id="bulk-role"
        value={role}
        disabled={busy}
        onChange={(e) => choose(setRole, e.target.value)}
      >
        <option value="">{m.bulkAllRoles}</option>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r === 'reporter' ? m.bulkReporters : m.roles[r]}
          </option>
        ))}
      </select>
      <p data-testid="bulk-count">{m.bulkCount(count)}</p>
      {!confirming ? (
        <button
          type="button"
          className="secondary"
          disabled={busy || count === 0}
          onClick={() => setConfirming(true)}
        >
          {busy ? m.bulkBusy : m.bulkStart(count)}
        </button>
      ) : (
        <div className="bulk-confirm" role="alertdialog" aria-label={m.bulkConfirmTitle(count)}>
          <p>
            <strong>{m.bulkConfirmTitle(count)}</strong>
          </p>
          <p>{m.bulkConfirmText(count, what)}</p>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void run()}>
              {busy ? m.bulkBusy : m.bulkConfirm(count)}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              {m.bulkCancel}
            </button>
          </div>
        </div>
      )}
      {done && <p className="ok">{done}</p>}
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
      show(
        await api<SignInWindowDto>('/intake/window', {
          method: 'PUT',
          body: JSON.stringify({ opensAt, closesAt }),
        }),
      )
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
          setError(
            ['error' in a ? a.error : '', 'error' in b ? b.error : ''].filter(Boolean).join(' · '),
          )
          return
        }
        void save(a.iso, b.iso)
      }}
    >
      <h2>{m.windowTitle}</h2>
      <p className="muted">{m.windowHelp}</p>
      <WibDateTimeField
        label={m.opensAt}
        value={opens}
        onChange={setOpens}
        dateLabel={m.dateWord}
        timeLabel={m.timeWord}
      />
      <WibDateTimeField
        label={m.closesAt}
        value={closes}
        onChange={setCloses}
        dateLabel={m.dateWord}
        timeLabel={m.timeWord}
      />
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
