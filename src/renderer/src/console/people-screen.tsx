import { useEffect, useMemo, useState } from 'react'
import type { UserDto } from '../../../shared/api'
import { formatCount, formatDateTimeWib } from '../../../shared/format'
import { rememberIssuedCodes } from '../credentials/issued-codes'
import { ErrorLine, Loading, post, useLiveData } from './common'
import { useM } from './messages'
import { LockoutsCard } from './lockouts-card'
import { PurgeCard } from './purge-card'
import { FileImport } from './registry-screen'
import { loadRegions, type RegionsDto } from './tps-index'
import { AddPersonForm, ROLES, type AddedPerson } from '../add-person-form'

/** People (admin): create, import, revoke, issue a new code; codes are shown once, here. */
export function PeopleScreen() {
  const m = useM()
  const users = useLiveData<{ users: UserDto[] }>('/users', ['users.imported'])
  const [regions, setRegions] = useState<RegionsDto | null>(null)
  const [codes, setCodes] = useState<AddedPerson[]>([])
  const [role, setRole] = useState('')
  const [query, setQuery] = useState('')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    void loadRegions().then(setRegions)
  }, [])

  const regionName = useMemo(() => {
    const names = new Map<string, string>()
    if (regions) {
      names.set(regions.regency.code, regions.regency.name)
      for (const k of regions.kecamatan) {
        names.set(k.code, `Kec. ${k.name}`)
        for (const d of k.desa) names.set(d.code, `${d.name} (${k.name})`)
      }
    }
    return (code: string) => names.get(code) ?? code
  }, [regions])

  // Shown once here, and handed to the credential sheet (/kredensial) of this tab for printing.
  const showCodes = (list: AddedPerson[]) => {
    rememberIssuedCodes(list)
    setCodes((c) => [...list, ...c])
  }

  if (!users.data) return users.error ? <ErrorLine error={users.error} /> : <Loading />
  const q = query.trim().toLowerCase()
  const list = users.data.users.filter(
    (u) =>
      (!role || u.role === role) &&
      (!q || `${u.name} ${u.phone} ${regionName(u.region)}`.toLowerCase().includes(q)),
  )
  const act = (
    path: string,
    confirmText: string,
    onOk?: (body: { accessCode?: string; smsCode?: string }) => void,
  ) => {
    if (!window.confirm(confirmText)) return
    setError(null)
    post<{ accessCode?: string; smsCode?: string }>(path, {}).then(
      (b) => {
        onOk?.(b)
        users.reload()
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    )
  }
  return (
    <section className="people">
      <LockoutsCard />
      <div className="people-top">
        <AddPersonForm
          title={m.addPerson}
          submitLabel={m.create}
          regions={regions}
          regionForEveryRole
          layout="grid"
          className="card create-person"
          onAdded={(c) => {
            showCodes([c])
            users.reload()
          }}
        />
        <div className="card">
          <h2>{m.importUsers}</h2>
          <FileImport
            label="CSV/XLSX"
            path="/users/import"
            onDone={(b) => {
              const r = b as {
                users: {
                  id: string
                  name: string
                  role: string
                  region: string
                  accessCode: string
                  smsCode?: string
                }[]
              }
              showCodes(
                r.users.map((u) => ({
                  id: u.id,
                  name: u.name,
                  role: u.role,
                  region: u.region,
                  accessCode: u.accessCode,
                  ...(u.smsCode ? { smsCode: u.smsCode } : {}),
                })),
              )
              users.reload()
            }}
          />
          <p>
            <a href="/kredensial">{m.credentialSheet}</a>
          </p>
          <p className="muted small">{m.credentialHint}</p>
        </div>
      </div>
      <PurgeCard onPurged={users.reload} />
      {codes.length > 0 && (
        <div className="card codes" role="status">
          <p>
            <strong>{m.codeOnce}</strong> <a href="/kredensial">{m.credentialSheet}</a>
          </p>
          <table className="compact">
            <tbody>
              {codes.map((c) => (
                <tr key={`${c.id}-${c.accessCode}`}>
                  <td>{c.name}</td>
                  <td>{m.role[c.role] ?? c.role}</td>
                  <td>{regionName(c.region)}</td>
                  <td className="access-code">{c.accessCode}</td>
                  <td className="sms-code">{c.smsCode ? `SMS: ${c.smsCode}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="card">
        <div className="filters">
          <label>
            {m.roleLabel}{' '}
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">{m.allRoles}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {m.role[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.search} <input value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
          <span className="muted">{m.count(formatCount(list.length))}</span>
        </div>
        <ErrorLine error={error} />
        <div className="table-scroll">
          <table className="compact people-table">
            <thead>
              <tr>
                <th>{m.name}</th>
                <th>{m.roleLabel}</th>
                <th>{m.region}</th>
                <th>{m.phone}</th>
                <th>{m.status}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id} className={u.revokedAt ? 'revoked' : undefined} data-user={u.id}>
                  <td>{u.name}</td>
                  <td>{m.role[u.role] ?? u.role}</td>
                  <td>{regionName(u.region)}</td>
                  <td>{u.phone}</td>
                  <td>
                    {u.revokedAt ? `${m.revoked} ${formatDateTimeWib(u.revokedAt)}` : m.active}
                  </td>
                  <td className="row-actions">
                    {!u.revokedAt && (
                      <button
                        type="button"
                        className="small-button danger"
                        onClick={() => act(`/users/${u.id}/revoke`, m.confirmRevoke(u.name))}
                      >
                        {m.revoke}
                      </button>
                    )}
                    <button
                      type="button"
                      className="small-button secondary"
                      onClick={() =>
                        act(`/users/${u.id}/reissue`, m.confirmReissue(u.name), (b) => {
                          if (b.accessCode)
                            showCodes([
                              {
                                id: u.id,
                                name: u.name,
                                role: u.role,
                                region: u.region,
                                accessCode: b.accessCode,
                                ...(b.smsCode ? { smsCode: b.smsCode } : {}),
                              },
                            ])
                        })
                      }
                    >
                      {m.reissue}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  )
}
