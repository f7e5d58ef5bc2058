import { useState } from 'react'
import { formatCount, formatTimeWib } from '../../../shared/format'
import { contestName, contestStatus, STATUS_LABEL, tpsLabel, useLapor } from '../context'

/** The reporter's TPS (and only theirs), each with a state per contest. */
export function TpsList({ error, stale }: { error: string | null; stale: boolean }) {
  const lapor = useLapor()
  const { list, config, me, navigate, listAt } = lapor
  const [desa, setDesa] = useState('')
  const kecamatan = me.region.level === 'kecamatan'
  if (!list) {
    return (
      <section>
        <p>{error ? `Daftar TPS belum bisa dimuat: ${error}` : 'Memuat daftar TPS…'}</p>
        <button type="button" className="primary" onClick={() => void lapor.refresh()}>
          Coba lagi
        </button>
      </section>
    )
  }
  const shown = list.tps.filter((t) => !desa || t.desa === desa)
  const groups = list.desa.filter((d) => shown.some((t) => t.desa === d.code))
  return (
    <section>
      {(stale || error) && (
        <p className="note">
          {error ? `${error}. ` : 'Desk belum terjangkau. '}Status di bawah dari HP
          {listAt ? `, terakhir diperbarui ${formatTimeWib(listAt)}` : ''}.
        </p>
      )}
      {kecamatan && (
        <button type="button" className="secondary" onClick={() => navigate({ name: 'verify' })}>
          Verifikasi desa
        </button>
      )}
      <h2 className="group">Pilih TPS untuk mengisi hasil</h2>
      {kecamatan && (
        <label className="field">
          <span>Desa/kelurahan</span>
          <select value={desa} onChange={(e) => setDesa(e.target.value)}>
            <option value="">Semua desa ({list.desa.length})</option>
            {list.desa.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {list.tps.length === 0 && (
        <p className="note">Belum ada TPS terdaftar untuk wilayah Anda. Hubungi desk.</p>
      )}
      {groups.map((d) => (
        <div key={d.code}>
          {(kecamatan || list.desa.length > 1) && <h2 className="group">{d.name}</h2>}
          <ul className="tps-list">
            {shown
              .filter((t) => t.desa === d.code)
              .map((t) => (
                <li key={t.code}>
                  <button
                    type="button"
                    className="tps-card"
                    onClick={() => navigate({ name: 'tps', tps: t.code })}
                    data-tps={t.code}
                  >
                    <span className="tps-title">
                      {tpsLabel(t.code)}
                      {t.status !== 'active' && (
                        <em> ({t.status === 'postponed' ? 'ditunda' : 'digabung'})</em>
                      )}
                    </span>
                    <span className="badges">
                      {config.contests.map((c) => {
                        const s = contestStatus(lapor, t, c.id)
                        return (
                          <span
                            key={c.id}
                            className={`badge ${s.status}`}
                            data-contest={c.id}
                            data-status={s.status}
                          >
                            {contestName(config, c.id)}: {STATUS_LABEL[s.status]}
                          </span>
                        )
                      })}
                    </span>
                  </button>
                </li>
              ))}
          </ul>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => navigate({ name: 'incident' })}>
        Laporan kejadian
      </button>
      <button type="button" className="secondary" onClick={() => navigate({ name: 'history' })}>
        Riwayat kirim ({formatCount(lapor.box.sent.length)})
      </button>
    </section>
  )
}
