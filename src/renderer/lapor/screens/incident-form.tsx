import { useState } from 'react'
import {
  INCIDENT_CATEGORIES,
  INCIDENT_CATEGORY_LABELS,
  INCIDENT_URGENCIES,
  INCIDENT_URGENCY_LABELS,
} from '../../../shared/api'
import { desaName, tpsLabel, useLapor } from '../context'
import { downscale, MAX_UPLOAD_BYTES } from '../photo'
import { newSubmissionId } from '../../../shared/lapor-sheet'

type Category = (typeof INCIDENT_CATEGORIES)[number]
type Urgency = (typeof INCIDENT_URGENCIES)[number]

/** Laporan kejadian: what happened, how urgent, where (a TPS or the whole desa), optional photo. */
export function IncidentForm({ tps }: { tps?: string }) {
  const lapor = useLapor()
  const { list, me } = lapor
  const firstDesa = tps
    ? tps.slice(0, tps.lastIndexOf('.'))
    : me.region.level === 'desa'
      ? me.region.code
      : ''
  const [desa, setDesa] = useState(firstDesa)
  const [place, setPlace] = useState(tps ?? '')
  const [category, setCategory] = useState<Category | ''>('')
  const [urgency, setUrgency] = useState<Urgency | ''>('')
  const [text, setText] = useState('')
  const [photo, setPhoto] = useState<Blob | null>(null)
  const [photoNote, setPhotoNote] = useState<string | null>(null)
  const [sending, setSending] = useState(false)

  const tpsOfDesa = (list?.tps ?? []).filter((t) => t.desa === desa)
  const missing = [
    !desa && 'desa',
    !category && 'jenis kejadian',
    !urgency && 'urgensi',
    text.trim().length < 3 && 'uraian',
  ].filter(Boolean) as string[]

  async function pickPhoto(file: File | undefined) {
    if (!file) return setPhoto(null)
    setPhotoNote('Memperkecil foto…')
    const blob = await downscale(file)
    if (blob.size > MAX_UPLOAD_BYTES) {
      setPhoto(null)
      setPhotoNote('Foto terlalu besar (lebih dari 5 MB). Ambil foto lagi.')
      return
    }
    setPhoto(blob)
    setPhotoNote(`Foto siap (${Math.round(blob.size / 1024)} KB)`)
  }

  async function send() {
    if (missing.length > 0 || sending) return
    setSending(true)
    const id = newSubmissionId('kejadian')
    const where = place ? { tps: place } : { region: desa }
    try {
      await lapor.outbox.add({
        id,
        kind: 'incident',
        label: `Kejadian ${INCIDENT_CATEGORY_LABELS[category as Category].toLowerCase()} · ${place ? `${tpsLabel(place)} ` : ''}${desaName(list, desa)}`,
        ...(place ? { tps: place } : {}),
        body: { submissionId: id, ...where, category, urgency, text: text.trim() },
        ...(photo
          ? {
              blob: photo,
              query: place
                ? `tps=${encodeURIComponent(place)}`
                : `region=${encodeURIComponent(desa)}`,
            }
          : {}),
      })
    } catch (e) {
      setPhotoNote(
        `HP tidak bisa menyimpan laporan (${e instanceof Error ? e.message : String(e)}). Coba lagi.`,
      )
      setSending(false)
      return
    }
    lapor.navigate({ name: 'receipt', id, ...(tps ? { tps } : {}) }, true)
  }

  return (
    <section className="incident">
      <button type="button" className="plain back" onClick={lapor.back}>
        ‹ Kembali
      </button>
      <h1>Laporan kejadian</h1>
      {me.region.level === 'kecamatan' && (
        <label className="field">
          <span>Desa/kelurahan</span>
          <select
            value={desa}
            onChange={(e) => {
              setDesa(e.target.value)
              setPlace('')
            }}
          >
            <option value="">— pilih desa —</option>
            {(list?.desa ?? []).map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>Tempat</span>
        <select value={place} onChange={(e) => setPlace(e.target.value)} disabled={!desa}>
          <option value="">Seluruh {desa ? desaName(list, desa) : 'desa'} (bukan satu TPS)</option>
          {tpsOfDesa.map((t) => (
            <option key={t.code} value={t.code}>
              {tpsLabel(t.code)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="choices">
        <legend>Jenis kejadian</legend>
        {INCIDENT_CATEGORIES.map((c) => (
          <label key={c} className={category === c ? 'choice on' : 'choice'}>
            <input
              type="radio"
              name="category"
              value={c}
              checked={category === c}
              onChange={() => setCategory(c)}
            />
            <span>{INCIDENT_CATEGORY_LABELS[c]}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choices row">
        <legend>Urgensi</legend>
        {INCIDENT_URGENCIES.map((u) => (
          <label key={u} className={urgency === u ? `choice on ${u}` : `choice ${u}`}>
            <input
              type="radio"
              name="urgency"
              value={u}
              checked={urgency === u}
              onChange={() => setUrgency(u)}
            />
            <span>{INCIDENT_URGENCY_LABELS[u]}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Uraian singkat</span>
        <textarea
          rows={4}
          value={text}
          maxLength={2000}
          placeholder="Apa yang terjadi, sejak kapan, apa yang dibutuhkan"
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <label className="photo-button">
        <input
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          onChange={(e) => void pickPhoto(e.target.files?.[0])}
        />
        <span>{photo ? 'Ganti foto' : 'Tambah foto (pilihan)'}</span>
      </label>
      {photoNote && <p className="meta">{photoNote}</p>}
      {missing.length > 0 && <p className="hint">Belum diisi: {missing.join(', ')}.</p>}
      <button
        type="button"
        className="primary big"
        disabled={missing.length > 0 || sending}
        onClick={() => void send()}
      >
        Kirim laporan kejadian
      </button>
    </section>
  )
}
