import { useState } from 'react'
import { formatCount } from '../../../shared/format'
import { contestName, contestStatus, contestStep, desaName, STATUS_LABEL, tpsLabel, useLapor } from '../context'
import { downscale, MAX_UPLOAD_BYTES } from '../photo'
import { newSubmissionId } from '../../../shared/lapor-sheet'

/** One TPS: per contest its state and what the reporter can do next. */
export function TpsDetail({ code }: { code: string }) {
  const lapor = useLapor()
  const { list, config, navigate, outbox, box } = lapor
  const [photoNote, setPhotoNote] = useState<string | null>(null)
  const tps = list?.tps.find((t) => t.code === code)
  if (!tps) return <p>TPS {code} tidak ada di daftar Anda.</p>
  const active = tps.status === 'active'

  async function addPhoto(contest: string, file: File | undefined) {
    if (!file) return
    setPhotoNote('Memperkecil foto…')
    const blob = await downscale(file)
    if (blob.size > MAX_UPLOAD_BYTES) {
      setPhotoNote('Foto terlalu besar (lebih dari 5 MB) meski sudah diperkecil. Ambil foto lagi.')
      return
    }
    await outbox.add({
      id: newSubmissionId('foto'),
      kind: 'photo',
      label: `Foto C.Hasil ${contestName(config, contest)} · ${tpsLabel(code)}`,
      tps: code,
      contest,
      blob,
      query: `tps=${encodeURIComponent(code)}&contest=${encodeURIComponent(contest)}`,
    })
    setPhotoNote(`Foto ${contestName(config, contest)} disimpan di HP dan dikirim ke desk (${formatCount(Math.round(blob.size / 1024))} KB).`)
  }

  return (
    <section>
      <button type="button" className="plain back" onClick={lapor.back}>
        ‹ Daftar TPS
      </button>
      <h1>
        {tpsLabel(code)} <small>{desaName(list, tps.desa)}</small>
      </h1>
      <p className="meta">
        DPT {formatCount(tps.dpt)}
        {tps.location ? ` · ${tps.location}` : ''}
      </p>
      {!active && (
        <p className="error">
          TPS ini {tps.status === 'postponed' ? 'ditunda' : 'digabung'}
          {tps.statusReason ? `: ${tps.statusReason}` : ''}. Hasilnya tidak bisa dikirim dari sini.
        </p>
      )}
      {config.contests.map((c) => {
        const s = contestStatus(lapor, tps, c.id)
        const step = contestStep(lapor, tps, c.id)
        const photos = box.waiting.filter((i) => i.kind === 'photo' && i.tps === code && i.contest === c.id).length
        const sentPhotos = box.sent.filter((i) => i.kind === 'photo' && i.tps === code && i.contest === c.id).length
        return (
          <article className="card contest" key={c.id} data-contest={c.id}>
            <h2>{contestName(config, c.id)}</h2>
            <p>
              <span className={`badge ${s.status}`} data-status={s.status}>
                {STATUS_LABEL[s.status]}
              </span>
              {s.detail && <span className="detail"> {s.detail}</span>}
            </p>
            {step.waiting || step.failed ? (
              <button type="button" className="secondary" onClick={() => navigate({ name: 'outbox' })}>
                {step.failed ? 'Lihat yang ditolak desk' : 'Lihat yang menunggu'}
              </button>
            ) : null}
            {active && !step.waiting && step.first && (
              <button type="button" className="primary" onClick={() => navigate({ name: 'sheet', tps: code, contest: c.id, correction: false })}>
                Isi hasil {contestName(config, c.id)}
              </button>
            )}
            {active && !step.waiting && !step.first && (
              <button type="button" className="secondary" onClick={() => navigate({ name: 'sheet', tps: code, contest: c.id, correction: true })}>
                Kirim koreksi
              </button>
            )}
            <label className="photo-button">
              <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" onChange={(e) => void addPhoto(c.id, e.target.files?.[0])} />
              <span>Foto C.Hasil {contestName(config, c.id)} (pilihan)</span>
            </label>
            {(photos > 0 || sentPhotos > 0) && (
              <p className="meta">
                Foto: {sentPhotos} terkirim{photos > 0 ? `, ${photos} menunggu` : ''}
              </p>
            )}
          </article>
        )
      })}
      {photoNote && (
        <p className="note" role="status">
          {photoNote}
        </p>
      )}
      <button type="button" className="secondary" onClick={() => navigate({ name: 'incident', tps: code })}>
        Laporan kejadian di {tpsLabel(code)}
      </button>
    </section>
  )
}
