import { useCallback, useEffect, useState } from 'react'
import type {
  ContestDto,
  VerificationListDto,
  VerificationRowDto,
  VerificationTpsDto,
} from '../../../shared/api'
import { formatCount, formatTimeWib, formatTpsNumber } from '../../../shared/format'
import { call, messageOf } from '../api'
import { contestName, useLapor } from '../context'

/** Kecamatan officers: every desa of the kecamatan, its progress, and a mark — checked, or flagged with a note. */
export function Verify() {
  const lapor = useLapor()
  const [data, setData] = useState<VerificationListDto | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(async () => {
    try {
      setData((await call<VerificationListDto>('GET', '/verification')).body)
      setError(null)
    } catch (e) {
      setError(messageOf(e))
    }
  }, [])
  useEffect(() => {
    void load()
  }, [load])

  return (
    <section className="verify">
      <button type="button" className="plain back" onClick={lapor.back}>
        ‹ Daftar TPS
      </button>
      <h1>
        Verifikasi desa <small>Kecamatan {lapor.me.region.name}</small>
      </h1>
      <p className="meta">
        Cocokkan hasil tiap desa dengan salinan C.Hasil, lalu tandai terverifikasi — atau beri
        catatan bila ada yang salah.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}. Verifikasi perlu sambungan ke desk.
        </p>
      )}
      {!data && !error && <p>Memuat…</p>}
      {data?.rows.map((row) => (
        <DesaRow key={row.desa} row={row} onChanged={load} />
      ))}
    </section>
  )
}

function DesaRow({ row, onChanged }: { row: VerificationRowDto; onChanged: () => Promise<void> }) {
  const { config } = useLapor()
  const [flagging, setFlagging] = useState(false)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const reported = Object.values(row.contests).reduce((a, c) => a + c.reported, 0)
  const needsCheck = Object.values(row.contests).reduce((a, c) => a + c.needsCheck, 0)
  const v = row.verification

  async function mark(status: 'verified' | 'flagged') {
    setBusy(true)
    setError(null)
    try {
      await call('POST', `/verification/${encodeURIComponent(row.desa)}`, {
        body: status === 'flagged' ? { status, note } : { status },
      })
      setFlagging(false)
      setNote('')
      await onChanged()
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <article className="card desa" data-desa={row.desa}>
      <h2>{row.name}</h2>
      <p className="meta">
        {row.tpsActive === 0
          ? 'Belum ada TPS terdaftar'
          : config.contests
              .map(
                (c) =>
                  `${contestName(config, c.id)} ${formatCount(row.contests[c.id]?.reported ?? 0)}/${formatCount(row.tpsActive)} TPS`,
              )
              .join(' · ')}
        {needsCheck > 0 && (
          <span className="badge perlu_dicek"> {formatCount(needsCheck)} perlu dicek</span>
        )}
      </p>
      <p data-testid="verification-status">
        {v ? (
          <span className={`badge ${v.status === 'verified' ? 'diterima' : 'perlu_dicek'}`}>
            {v.status === 'verified' ? 'Terverifikasi kecamatan' : 'Ditandai'} {formatTimeWib(v.at)}
          </span>
        ) : (
          <span className="badge belum">Belum diverifikasi</span>
        )}
        {v?.note && <span className="detail"> “{v.note}”</span>}
        {v?.stale && <span className="detail"> · angka berubah sesudahnya, periksa lagi</span>}
      </p>
      {row.tps &&
        reported > 0 &&
        config.contests.map((c) => <StandingTable key={c.id} contest={c} tps={row.tps!} />)}
      {reported === 0 ? (
        <p className="hint">Belum ada hasil dari desa ini.</p>
      ) : flagging ? (
        <div>
          <label className="field">
            <span>Catatan (apa yang salah)</span>
            <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={busy || note.trim().length < 5}
              onClick={() => void mark('flagged')}
            >
              Simpan tanda
            </button>
            <button type="button" className="secondary" onClick={() => setFlagging(false)}>
              Batal
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void mark('verified')}
          >
            Terverifikasi
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => setFlagging(true)}
          >
            Tandai…
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </article>
  )
}

const TPS_STATUS: Record<VerificationTpsDto['status'], string> = {
  active: 'belum ada hasil',
  postponed: 'ditunda',
  merged: 'digabung',
}

/**
 * The numbers the desk holds for one contest in one desa, per TPS: what the officer compares with
 * the C.Hasil copies before marking the desa. Rows needing a second look are highlighted.
 */
function StandingTable({ contest, tps }: { contest: ContestDto; tps: VerificationTpsDto[] }) {
  const { config } = useLapor()
  const rows = tps.filter((t) => t.status === 'active' || t.contests[contest.id])
  const reported = rows
    .map((t) => t.contests[contest.id])
    .filter((r) => r !== null && r !== undefined)
  const sum = (f: (r: (typeof reported)[number]) => number) =>
    reported.reduce((a, r) => a + f(r), 0)
  const span = contest.candidates.length + 2
  return (
    <table className="standing" data-contest={contest.id}>
      <caption>{contestName(config, contest.id)}: suara per paslon</caption>
      <thead>
        <tr>
          <th scope="col">TPS</th>
          {contest.candidates.map((c) => (
            <th scope="col" key={c.number} title={c.name}>
              {c.number === 0 ? 'Kosong' : c.number}
            </th>
          ))}
          <th scope="col">Sah</th>
          <th scope="col">Tdk sah</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => {
          const r = t.contests[contest.id]
          return (
            <tr
              key={t.code}
              data-tps={t.code}
              className={r?.needsCheck ? 'needs-check' : undefined}
            >
              <th scope="row">
                {formatTpsNumber(t.number)}
                {r?.needsCheck && <span title="perlu dicek"> !</span>}
              </th>
              {r ? (
                <>
                  {contest.candidates.map((c) => (
                    <td key={c.number}>{formatCount(r.votes[String(c.number)] ?? 0)}</td>
                  ))}
                  <td>{formatCount(r.valid)}</td>
                  <td>{formatCount(r.invalid)}</td>
                </>
              ) : (
                <td colSpan={span} className="none">
                  {TPS_STATUS[t.status]}
                </td>
              )}
            </tr>
          )
        })}
      </tbody>
      {reported.length > 1 && (
        <tfoot>
          <tr>
            <th scope="row">Jml</th>
            {contest.candidates.map((c) => (
              <td key={c.number}>{formatCount(sum((r) => r.votes[String(c.number)] ?? 0))}</td>
            ))}
            <td>{formatCount(sum((r) => r.valid))}</td>
            <td>{formatCount(sum((r) => r.invalid))}</td>
          </tr>
        </tfoot>
      )}
    </table>
  )
}
