import { useEffect, useState } from 'react'
import { formatTimeWib } from '../../../shared/format'
import { call } from '../api'
import { useLapor } from '../context'
import { canRetry } from '../outbox'

const mbFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 })
const mb = (bytes: number) => mbFormat.format(bytes / (1024 * 1024))

/** "Foto terkirim: 12,3 dari 660 MB" — so a reporter sees the quota coming before a photo is refused. */
function PhotoUsage({ version }: { version: string }) {
  const [mine, setMine] = useState<{ bytes: number; limitBytes: number | null } | null>(null)
  useEffect(() => {
    let live = true
    call<{ mine?: { bytes: number; limitBytes: number | null } }>(
      'GET',
      '/intake/photo-quota',
    ).then(
      (r) => live && setMine(r.body.mine ?? null),
      () => {}, // offline: the line waits for the next answer
    )
    return () => {
      live = false
    }
  }, [version])
  if (!mine) return null
  return (
    <p className="meta" data-testid="photo-usage">
      Foto terkirim: {mb(mine.bytes)}
      {mine.limitBytes === null ? ' MB' : ` dari ${mb(mine.limitBytes)} MB`}
    </p>
  )
}

/** What waits on this phone, what the desk refused, and the receipts of what arrived. */
export function OutboxView() {
  const { box, outbox, back, navigate } = useLapor()
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
              <li key={i.id} className={i.state} data-testid="outbox-item" data-state={i.state}>
                <strong>{i.label}</strong>
                <span className="meta">
                  {i.state === 'failed' ? 'Ditolak desk' : 'Menunggu'} · dibuat{' '}
                  {formatTimeWib(i.createdAt)}
                  {i.attempts > 0 ? ` · ${i.attempts}× dicoba` : ''}
                </span>
                {i.lastError && (
                  <span className={i.state === 'failed' ? 'error' : 'meta'}>{i.lastError}</span>
                )}
                {i.state === 'failed' && (
                  <span className="actions">
                    {canRetry(i) && (
                      <button
                        type="button"
                        className="secondary small"
                        disabled={box.sending}
                        onClick={() => void outbox.retry(i.id)}
                      >
                        Coba kirim lagi
                      </button>
                    )}
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => {
                        if (
                          window.confirm(
                            'Hapus laporan ini dari HP? Laporan yang ditolak desk tidak akan dikirim lagi.',
                          )
                        )
                          void outbox.remove(i.id)
                      }}
                    >
                      Hapus dari HP
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {box.waiting.some((i) => i.state === 'waiting') && (
            <button
              type="button"
              className="primary"
              disabled={box.sending}
              onClick={() => void outbox.flush(true)}
            >
              {box.sending ? 'Mengirim…' : 'Kirim sekarang'}
            </button>
          )}
        </>
      )}
      {box.others > 0 && (
        <p className="meta">
          {box.others} laporan milik pengguna lain di HP ini menunggu orang itu masuk lagi.
        </p>
      )}
      {box.sent.length > 0 && (
        <>
          <button type="button" className="secondary" onClick={() => navigate({ name: 'history' })}>
            Riwayat kirim: semua tanda terima
          </button>
          <h2>Sudah diterima desk</h2>
          <ul className="items sent">
            {box.sent.map((s) => (
              <li key={s.id}>
                <strong>{s.label}</strong>
                <span className="meta">
                  {formatTimeWib(s.at)}
                  {s.receipt
                    ? s.outcome === 'attached'
                      ? ` · dilampirkan ke kejadian ${s.receipt}`
                      : ` · ${s.kind === 'incident' ? 'no.' : 'tanda terima'} ${s.receipt}`
                    : ''}
                  {s.outcome === 'conflict' ? ' · menunggu keputusan supervisor' : ''}
                </span>
                {s.photoRefused &&
                  (s.photoAttached ? (
                    <span className="meta" data-testid="photo-attached">
                      Foto menyusul, sudah dilampirkan
                    </span>
                  ) : (
                    <span className="error" title={s.photoRefused}>
                      Terkirim tanpa foto — foto ditolak desk
                    </span>
                  ))}
              </li>
            ))}
          </ul>
        </>
      )}
      <PhotoUsage version={`${box.sent[0]?.id ?? ''}|${box.waiting.length}`} />
    </section>
  )
}
