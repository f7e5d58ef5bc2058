import { useState } from 'react'
import { formatCount, formatDateTimeWib } from '../../../shared/format'
import {
  contestName,
  contestStatus,
  contestStep,
  desaName,
  latestSent,
  STATUS_LABEL,
  tpsLabel,
  useLapor,
} from '../context'
import { downscale, MAX_UPLOAD_BYTES } from '../photo'
import { newSubmissionId } from '../../../shared/lapor-sheet'

/** One TPS: per contest its state and what the reporter can do next. */
export function TpsDetail({ code }: { code: string }) {
  const lapor = useLapor()
  const { list, config, navigate, outbox, box } = lapor
  const [photoNote, setPhotoNote] = useState<string | null>(null)
  /** The photo just taken here, followed to the desk's answer (a refusal shows on its contest's card). */
  const [lastPhoto, setLastPhoto] = useState<{ id: string; contest: string; kb: number } | null>(
    null,
  )
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
    const id = newSubmissionId('foto')
    await outbox.add({
      id,
      kind: 'photo',
      label: `Foto C.Hasil ${contestName(config, contest)} · ${tpsLabel(code)}`,
      tps: code,
      contest,
      blob,
      query: `tps=${encodeURIComponent(code)}&contest=${encodeURIComponent(contest)}`,
    })
    setPhotoNote(null)
    setLastPhoto({ id, contest, kb: Math.round(blob.size / 1024) })
  }

  let note = photoNote
  if (!note && lastPhoto) {
    const what = `Foto ${contestName(config, lastPhoto.contest)} (${formatCount(lastPhoto.kb)} KB)`
    if (box.sent.some((s) => s.id === lastPhoto.id)) note = `${what} diterima desk.`
    else if (box.waiting.some((i) => i.id === lastPhoto.id && i.state === 'waiting'))
      note = `${what} disimpan di HP, menunggu dikirim.`
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
        const queued = box.waiting.filter(
          (i) => i.kind === 'photo' && i.tps === code && i.contest === c.id,
        )
        const photos = queued.filter((i) => i.state === 'waiting').length
        // Refused for good (e.g. the photo quota): not "waiting", and the desk says why.
        const refused = queued.filter((i) => i.state === 'failed')
        const sentPhotos = box.sent.filter(
          (i) => i.kind === 'photo' && i.tps === code && i.contest === c.id,
        ).length
        const last = latestSent(box, code, c.id)
        return (
          <article className="card contest" key={c.id} data-contest={c.id}>
            <h2>{contestName(config, c.id)}</h2>
            <p>
              <span className={`badge ${s.status}`} data-status={s.status}>
                {STATUS_LABEL[s.status]}
              </span>
              {s.detail && <span className="detail"> {s.detail}</span>}
            </p>
            {last?.receipt && (
              <p className="receipt-line" data-testid="contest-receipt">
                {last.correction ? 'Koreksi' : 'Tanda terima'} <strong>{last.receipt}</strong>
                <span className="meta"> · {formatDateTimeWib(last.at)}</span>
                {last.earlier && last.earlier.length > 0 && (
                  <span className="meta"> · dikirim ulang setelah desk dipulihkan</span>
                )}
              </p>
            )}
            {step.waiting || step.failed ? (
              <button
                type="button"
                className="secondary"
                onClick={() => navigate({ name: 'outbox' })}
              >
                {step.failed ? 'Lihat yang ditolak desk' : 'Lihat yang menunggu'}
              </button>
            ) : null}
            {active && !step.waiting && step.first && (
              <button
                type="button"
                className="primary"
                onClick={() =>
                  navigate({ name: 'sheet', tps: code, contest: c.id, correction: false })
                }
              >
                Isi hasil {contestName(config, c.id)}
              </button>
            )}
            {active && !step.waiting && !step.first && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  navigate({ name: 'sheet', tps: code, contest: c.id, correction: true })
                }
              >
                Kirim koreksi
              </button>
            )}
            <label className="photo-button">
              <input
                type="file"
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
                onChange={(e) => void addPhoto(c.id, e.target.files?.[0])}
              />
              <span>Foto C.Hasil {contestName(config, c.id)} (pilihan)</span>
            </label>
            {(photos > 0 || sentPhotos > 0 || refused.length > 0) && (
              <p className="meta">
                Foto: {sentPhotos} terkirim{photos > 0 ? `, ${photos} menunggu` : ''}
                {refused.length > 0 ? `, ${refused.length} ditolak desk` : ''}
              </p>
            )}
            {refused.length > 0 && (
              <div className="photo-refused" data-testid="photo-refused">
                <p className="error">{refused[refused.length - 1]!.lastError}</p>
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => navigate({ name: 'outbox' })}
                >
                  Lihat foto yang ditolak
                </button>
              </div>
            )}
          </article>
        )
      })}
      {note && (
        <p className="note" role="status">
          {note}
        </p>
      )}
      <button
        type="button"
        className="secondary"
        onClick={() => navigate({ name: 'incident', tps: code })}
      >
        Laporan kejadian di {tpsLabel(code)}
      </button>
    </section>
  )
}
