// The review screen's kecamatan checks tab: per desa, what has arrived and the officer's mark.

import { useEffect, useState } from 'react'
import type { VerificationListDto } from '../../../../shared/api'
import { formatCount } from '../../../../shared/format'
import { contestShort, ErrorLine, Loading, Time, useConsole, useLiveData } from '../common'
import { useM } from '../messages'
import { loadRegions, type RegionsDto } from '../tps-index'
import { RegionSelects } from '../../region-selects'

export function VerificationList() {
  const m = useM()
  const { config } = useConsole()
  const [regions, setRegions] = useState<RegionsDto | null>(null)
  const [kecamatan, setKecamatan] = useState('')
  useEffect(() => {
    void loadRegions().then(setRegions)
  }, [])
  const list = useLiveData<VerificationListDto>(
    `/verification${kecamatan ? `?kecamatan=${kecamatan}` : ''}`,
    ['verification.changed', 'result.accepted', 'conflict.resolved', 'result.reviewed'],
  )
  if (list.error?.status === 404) return <p className="card muted">{m.verificationUnavailable}</p>
  return (
    <div className="card verification-list">
      <div className="filters">
        <RegionSelects
          regions={regions}
          kecamatan={kecamatan}
          onKecamatan={setKecamatan}
          labels={{ kecamatan: m.filterKecamatan, anyKecamatan: m.allKecamatan }}
        />
      </div>
      {!list.data ? (
        list.error ? (
          <ErrorLine error={list.error} />
        ) : (
          <Loading />
        )
      ) : (
        <div className="table-scroll">
          <table className="compact">
            <thead>
              <tr>
                <th>{m.kecamatan}</th>
                <th>{m.desa}</th>
                <th className="num">{m.tpsActive}</th>
                {config.contests.map((c) => (
                  <th key={c.id} className="num">
                    {contestShort(config, c.id)}
                  </th>
                ))}
                <th>{m.verification}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((r) => (
                <tr
                  key={r.desa}
                  className={r.verification ? `verified-${r.verification.status}` : undefined}
                >
                  <td>
                    {regions?.kecamatan.find((k) => k.code === r.kecamatan)?.name ?? r.kecamatan}
                  </td>
                  <td>{r.name}</td>
                  <td className="num">{formatCount(r.tpsActive)}</td>
                  {config.contests.map((c) => {
                    const x = r.contests[c.id]
                    return (
                      <td key={c.id} className="num">
                        {x ? formatCount(x.reported) : '—'}
                        {x && x.needsCheck > 0 && (
                          <span className="pill conflict">
                            {x.needsCheck} {m.needsCheck}
                          </span>
                        )}
                      </td>
                    )
                  })}
                  <td>
                    {r.verification ? (
                      <>
                        <strong>
                          {m.verifyStatus[r.verification.status] ?? r.verification.status}
                        </strong>
                        {r.verification.by && <> · {r.verification.by.name}</>} ·{' '}
                        <Time at={r.verification.at} />
                        {r.verification.stale && <span className="pill flagged"> {m.stale}</span>}
                        {r.verification.note && (
                          <div className="small">“{r.verification.note}”</div>
                        )}
                      </>
                    ) : (
                      <span className="muted">{m.noVerification}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
