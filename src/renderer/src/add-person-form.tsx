import { useState, type FormEvent, type ReactNode } from 'react'
import { api, ApiFailure } from './api'
import { useT } from './i18n'
import { RegionSelects, type RegionSelectsProps } from './region-selects'

/** A person just added, with the access code the desk showed once. */
export interface AddedPerson {
  id: string
  name: string
  role: string
  region: string
  accessCode: string
  /** The SMS code issued with it (issue 15). */
  smsCode?: string
}

/** The roles a person can be given, in the order the pickers list them. */
export const ROLES = ['reporter', 'operator', 'supervisor', 'display'] as const
type Role = (typeof ROLES)[number]

const id = {
  name: 'Nama',
  phone: 'Nomor HP',
  role: 'Peran',
  roles: {
    reporter: 'Pelapor',
    operator: 'Operator',
    supervisor: 'Supervisor',
    display: 'Layar tampilan',
  } as Record<Role, string>,
  kecamatan: 'Kecamatan',
  desa: 'Desa/kelurahan',
  chooseKecamatan: '— pilih kecamatan —',
  wholeKecamatan: '— petugas kecamatan (seluruh kecamatan) —',
  wholeRegency: '— seluruh kabupaten —',
  anyDesa: '— seluruh kecamatan —',
  regionHint: 'Wilayah (desa/kelurahan atau kecamatan untuk pelapor)',
}
type PersonMessages = typeof id

const en: PersonMessages = {
  name: 'Name',
  phone: 'Phone',
  role: 'Role',
  roles: {
    reporter: 'Reporter',
    operator: 'Operator',
    supervisor: 'Supervisor',
    display: 'Display screen',
  },
  kecamatan: 'District (kecamatan)',
  desa: 'Village (desa/kelurahan)',
  chooseKecamatan: '— choose a district —',
  wholeKecamatan: '— district officer (whole kecamatan) —',
  wholeRegency: '— whole regency —',
  anyDesa: '— whole district —',
  regionHint: 'Area (village or district for reporters)',
}

/**
 * Add one person (POST /users) and hand back their access code: the form of the console's
 * People screen and of /kredensial. A reporter needs a kecamatan (and may get a desa); other roles
 * get a region only where `regionForEveryRole` (the People screen). The desk's refusal is shown
 * as it words it, naming the field, and the fields it names are marked.
 */
export function AddPersonForm({
  title,
  submitLabel,
  regions,
  regionForEveryRole = false,
  layout,
  className,
  onAdded,
}: {
  title: string
  submitLabel: string
  regions: RegionSelectsProps['regions']
  regionForEveryRole?: boolean
  /** `grid`: name and phone side by side, then role and region (a wide card); `stack`: one under another. */
  layout: 'grid' | 'stack'
  className: string
  onAdded: (person: AddedPerson) => void
}) {
  const m = useT().lang === 'en' ? en : id
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [role, setRole] = useState<Role>('reporter')
  const [kecamatan, setKecamatan] = useState('')
  const [desa, setDesa] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(
    null,
  )
  const reporter = role === 'reporter'
  const withRegion = reporter || regionForEveryRole
  const region = withRegion ? desa || kecamatan : ''

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const r = await api<AddedPerson>('/users', {
        method: 'POST',
        body: JSON.stringify({ name, phone, role, ...(region ? { region } : {}) }),
      })
      onAdded({
        id: r.id,
        name: r.name,
        role: r.role,
        region: r.region,
        accessCode: r.accessCode,
        ...(r.smsCode ? { smsCode: r.smsCode } : {}),
      })
      setName('')
      setPhone('')
    } catch (err) {
      setError({
        message: err instanceof Error ? err.message : String(err),
        fields: err instanceof ApiFailure ? (err.body?.error.fields ?? {}) : {},
      })
    } finally {
      setBusy(false)
    }
  }

  // A field the desk named: marked, with its own words when they add to the message above.
  const invalid = (field: string) => (error && field in error.fields ? true : undefined)
  const fieldNote = (field: string): ReactNode => {
    const note = error?.fields[field]
    return error && note && note !== error.message ? (
      <span className="field-error">{note}</span>
    ) : null
  }

  const nameField = (
    <label>
      {m.name}
      <input
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        maxLength={120}
        aria-invalid={invalid('name')}
      />
      {fieldNote('name')}
    </label>
  )
  const phoneField = (
    <label>
      {m.phone}
      <input
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        inputMode="tel"
        maxLength={30}
        aria-invalid={invalid('phone')}
      />
      {fieldNote('phone')}
    </label>
  )
  const roleField = (
    <label>
      {m.role}
      <select
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        aria-invalid={invalid('role')}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {m.roles[r]}
          </option>
        ))}
      </select>
      {fieldNote('role')}
    </label>
  )
  const regionFields = withRegion && (
    <RegionSelects
      regions={regions}
      kecamatan={kecamatan}
      onKecamatan={setKecamatan}
      desa={desa}
      onDesa={setDesa}
      labels={{
        kecamatan: m.kecamatan,
        anyKecamatan: reporter ? m.chooseKecamatan : m.wholeRegency,
        desa: m.desa,
        anyDesa: reporter ? m.wholeKecamatan : m.anyDesa,
      }}
      requireKecamatan={reporter}
      invalid={invalid('region')}
    />
  )

  return (
    <form className={`person-form ${className}`} onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      {layout === 'grid' ? (
        <>
          <div className="row2">
            {nameField}
            {phoneField}
          </div>
          <div className="row3">
            {roleField}
            {regionFields}
          </div>
          {regionForEveryRole && <p className="muted small">{m.regionHint}</p>}
        </>
      ) : (
        <>
          {nameField}
          {phoneField}
          {roleField}
          {regionFields}
        </>
      )}
      {fieldNote('region')}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" disabled={busy || name.trim() === '' || (reporter && !kecamatan)}>
        {submitLabel}
      </button>
    </form>
  )
}
