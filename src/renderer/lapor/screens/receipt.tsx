import { formatTimeWib } from '../../../shared/format'
import { tpsLabel, useLapor } from '../context'

/** An incident that went to the desk without its photo: the desk's reason, and where the photo is now. */
function PhotoRefused({ message }: { message: string }) {
  return (
    <div className="photo-refused" data-testid="photo-refused">
      <p className="error">Foto tidak diterima desk</p>
      <p>{message}</p>
      <p className="meta">
        Uraian kejadian tetap dikirim tanpa foto. Foto masih di HP ini (Kotak keluar).
      </p>
    </div>
  )
}

/** What became of one report: waiting on the phone, or stored by the desk with its receipt number. */
export function Receipt({ id, tps }: { id: string; tps?: string }) {
  const lapor = useLapor()
  const { box, outbox } = lapor
  const waiting = box.waiting.find((i) => i.id === id)
  const sent = box.sent.find((s) => s.id === id)
  let body
  if (sent) {
    const isIncident = sent.kind === 'incident'
    const conflict = sent.outcome === 'conflict'
    body = (
      <div
        className={conflict ? 'receipt held' : 'receipt ok'}
        data-testid="receipt"
        data-outcome={sent.outcome}
      >
        <p className="receipt-title">
          {isIncident
            ? 'Laporan kejadian diterima desk'
            : conflict
              ? sent.correction
                ? 'Koreksi diterima desk'
                : 'Diterima desk, berbeda dari laporan sebelumnya'
              : 'Diterima desk'}
        </p>
        <p className="receipt-label">{sent.label}</p>
        {sent.receipt && (
          <p className="receipt-number">
            <span>{isIncident ? 'Nomor kejadian' : 'Nomor tanda terima'}</span>
            <strong data-testid="receipt-number">{sent.receipt}</strong>
          </p>
        )}
        {conflict && (
          <p>
            Hasil lama tetap dipakai sampai supervisor desk memutuskan. Status TPS: perlu dicek.
          </p>
        )}
        {sent.photoRefused &&
          (sent.photoAttached ? (
            <p className="meta" data-testid="photo-attached">
              Foto kejadian ini awalnya ditolak desk, lalu dikirim ulang dan sudah dilampirkan.
            </p>
          ) : (
            <PhotoRefused message={sent.photoRefused} />
          ))}
        {sent.warnings && sent.warnings.length > 0 && (
          <div className="warnings">
            <p>Desk akan memeriksa:</p>
            <ul>
              {sent.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        <p className="meta">Diterima {formatTimeWib(sent.at, true)}</p>
      </div>
    )
  } else if (waiting && waiting.state === 'failed') {
    body = (
      <div className="receipt failed" data-testid="receipt" data-outcome="failed">
        <p className="receipt-title">Ditolak desk</p>
        <p className="receipt-label">{waiting.label}</p>
        <p className="error">{waiting.lastError}</p>
        <p>
          {waiting.lastCode === 'photo_quota'
            ? 'Foto tetap tersimpan di HP ini (Kotak keluar).'
            : 'Periksa formulir lalu kirim lagi, atau hubungi desk.'}
        </p>
      </div>
    )
  } else if (waiting) {
    body = (
      <div className="receipt waiting" data-testid="receipt" data-outcome="waiting">
        <p className="receipt-title">
          {box.sending ? 'Mengirim…' : 'Tersimpan di HP — menunggu dikirim'}
        </p>
        <p className="receipt-label">{waiting.label}</p>
        <p>
          Laporan tidak akan hilang: HP mengirimnya otomatis begitu tersambung ke desk, juga setelah
          halaman ditutup dan dibuka lagi.
        </p>
        {waiting.photoRefused && <PhotoRefused message={waiting.photoRefused} />}
        {waiting.lastError && <p className="meta">Terakhir: {waiting.lastError}</p>}
        <button
          type="button"
          className="primary"
          disabled={box.sending}
          onClick={() => void outbox.flush(true)}
        >
          Kirim sekarang
        </button>
      </div>
    )
  } else {
    body = <p className="note">Laporan ini tidak ada lagi di HP.</p>
  }
  return (
    <section>
      {body}
      {tps && (
        <button type="button" className="secondary" onClick={() => lapor.backTo('tps')}>
          Kembali ke {tpsLabel(tps)}
        </button>
      )}
      <button type="button" className="secondary" onClick={lapor.home}>
        Daftar TPS
      </button>
    </section>
  )
}
