import { formatCount, formatDateTimeWib } from '../../../shared/format'
import { sentState, useLapor } from '../context'

/**
 * "Riwayat kirim": every report sent from this phone that the desk acknowledged, newest first, with
 * its receipt, its time and what became of it, and what still waits. Reporters quote the receipt
 * when the desk calls; after a failover a report sent again shows its earlier receipt too.
 */
export function HistoryView() {
  const { box, back, navigate } = useLapor()
  const waiting = box.waiting.length
  return (
    <section className="history">
      <button type="button" className="plain back" onClick={back}>
        ‹ Kembali
      </button>
      <h1>
        Riwayat kirim{' '}
        <small>{formatCount(box.sent.length)} laporan diterima desk dari HP ini</small>
      </h1>
      {waiting > 0 && (
        <button type="button" className="secondary" onClick={() => navigate({ name: 'outbox' })}>
          {formatCount(waiting)} laporan belum diterima — lihat Kotak keluar
        </button>
      )}
      {box.sent.length === 0 ? (
        <p className="note">Belum ada laporan yang diterima desk dari HP ini.</p>
      ) : (
        <ul className="items sent">
          {box.sent.map((s) => {
            const state = sentState(s)
            return (
              <li key={s.id} data-testid="history-item" data-kind={s.kind} data-outcome={s.outcome}>
                <strong>{s.label}</strong>
                {s.receipt && (
                  <span className="receipt-line">
                    {s.kind === 'result'
                      ? 'Tanda terima'
                      : s.outcome === 'attached'
                        ? 'Kejadian'
                        : 'Nomor'}{' '}
                    <b data-testid="history-receipt">{s.receipt}</b>
                  </span>
                )}
                <span className="meta">{formatDateTimeWib(s.at)}</span>
                <span className={`state ${state.tone}`}>{state.label}</span>
                {s.earlier?.map((e) => (
                  <span className="meta" key={`${e.receipt ?? ''}${e.at}`}>
                    Dikirim ulang setelah desk dipulihkan
                    {e.receipt === s.receipt
                      ? '; nomor tanda terima tetap'
                      : e.receipt
                        ? `; tanda terima lama ${e.receipt}`
                        : ''}{' '}
                    (pertama diterima {formatDateTimeWib(e.at)})
                  </span>
                ))}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
