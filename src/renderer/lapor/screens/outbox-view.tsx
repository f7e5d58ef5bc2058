import { formatTimeWib } from '../../../shared/format'
import { useLapor } from '../context'

/** What waits on this phone, what the desk refused, and the receipts of what arrived. */
export function OutboxView() {
  const { box, outbox, back } = useLapor()
  return (
    <section className="outbox">
      <button type="button" className="plain back" onClick={back}>
        ‹ Kembali
      </button>
      <h1>Kotak keluar</h1>
      {box.waiting.length === 0 ? (
        <p className="note">Tidak ada laporan yang menunggu. Semua sudah diterima desk.</p>
      ) : (
        <>
          <ul className="items">
            {box.waiting.map((i) => (
              <li key={i.id} className={i.state} data-testid="outbox-item">
                <strong>{i.label}</strong>
                <span className="meta">
                  {i.state === 'failed' ? 'Ditolak desk' : 'Menunggu'} · dibuat {formatTimeWib(i.createdAt)}
                  {i.attempts > 0 ? ` · ${i.attempts}× dicoba` : ''}
                </span>
                {i.lastError && <span className={i.state === 'failed' ? 'error' : 'meta'}>{i.lastError}</span>}
                {i.state === 'failed' && (
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => {
                      if (window.confirm('Hapus laporan ini dari HP? Laporan yang ditolak desk tidak akan dikirim lagi.')) void outbox.remove(i.id)
                    }}
                  >
                    Hapus dari HP
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button type="button" className="primary" disabled={box.sending} onClick={() => void outbox.flush(true)}>
            {box.sending ? 'Mengirim…' : 'Kirim sekarang'}
          </button>
        </>
      )}
      {box.others > 0 && <p className="meta">{box.others} laporan milik pengguna lain di HP ini menunggu orang itu masuk lagi.</p>}
      {box.sent.length > 0 && (
        <>
          <h2>Sudah diterima desk</h2>
          <ul className="items sent">
            {box.sent.map((s) => (
              <li key={s.id}>
                <strong>{s.label}</strong>
                <span className="meta">
                  {formatTimeWib(s.at)}
                  {s.receipt ? ` · ${s.kind === 'incident' ? 'no.' : 'tanda terima'} ${s.receipt}` : ''}
                  {s.outcome === 'conflict' ? ' · menunggu keputusan supervisor' : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
