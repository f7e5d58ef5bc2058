import type { ReactNode } from 'react'
import { formatCount } from '../../../shared/format'
import { useLapor } from '../context'

/** Header of every screen: training banner, the desk, who is signed in, signal and the outbox. */
export function Frame({ children }: { children: ReactNode }) {
  const { config, me, connection, box, navigate, signOut, outbox } = useLapor()
  const waiting = box.waiting.filter((i) => i.state === 'waiting').length
  const failed = box.waiting.length - waiting
  return (
    <div className="lapor">
      {config.training && <div className="training">MODE LATIHAN — data simulasi</div>}
      <header className="bar">
        <div className="who">
          <strong>{me.name}</strong>
          <span>
            {me.region.level === 'kecamatan' ? 'Kecamatan' : 'Desa/Kel.'} {me.region.name}
          </span>
        </div>
        <button type="button" className="plain" onClick={signOut}>
          Keluar
        </button>
      </header>
      <div className="desk-line">
        {config.election.name} · {config.regency.name}
      </div>
      <div
        className={connection === 'ok' ? 'signal on' : 'signal off'}
        role="status"
        data-connection={connection}
      >
        {connection === 'ok'
          ? 'Tersambung ke desk'
          : connection === 'no-signal'
            ? 'Tidak ada sinyal — laporan disimpan di HP'
            : 'Desk belum terjangkau — laporan disimpan di HP'}
      </div>
      {(waiting > 0 || failed > 0) && (
        <div className={failed > 0 ? 'outbox-bar failed' : 'outbox-bar'} data-testid="outbox-bar">
          <button type="button" className="plain" onClick={() => navigate({ name: 'outbox' })}>
            {waiting > 0 && <span>{formatCount(waiting)} laporan menunggu dikirim</span>}
            {failed > 0 && <span>{formatCount(failed)} ditolak desk — lihat</span>}
          </button>
          {waiting > 0 && (
            <button
              type="button"
              className="small"
              disabled={box.sending}
              onClick={() => void outbox.flush(true)}
            >
              {box.sending ? 'Mengirim…' : 'Kirim sekarang'}
            </button>
          )}
        </div>
      )}
      {!box.persistent && (
        <div className="outbox-bar failed">
          Browser ini tidak bisa menyimpan laporan di HP. Jangan tutup halaman sebelum laporan
          terkirim.
        </div>
      )}
      <main className="page">{children}</main>
    </div>
  )
}
