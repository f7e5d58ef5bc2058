import { useEffect } from 'react'
import type { LanDto } from '../../../shared/console'
import { formatCount } from '../../../shared/format'
import { ErrorLine, Loading, useConsole, useLiveData } from './common'
import { useM } from './messages'

/** The desk on the LAN: addresses, QR codes for /lapor and /papan, who is connected now. */
export function LanScreen() {
  const m = useM()
  const { connected } = useConsole()
  const lan = useLiveData<LanDto>('/console/lan', ['result.accepted'])
  // This console's own stream counts too: look again once it is open.
  const { reload } = lan
  useEffect(() => {
    if (connected) reload()
  }, [connected, reload])
  // Connections come and go without events: look again every 10 s while this screen is open.
  useEffect(() => {
    const t = setInterval(lan.reload, 10_000)
    return () => clearInterval(t)
  }, [lan.reload])
  if (!lan.data) return lan.error ? <ErrorLine error={lan.error} /> : <Loading />
  const d = lan.data
  return (
    <section className="lan">
      <div className="card lan-head">
        <h1>{m.lanTitle}</h1>
        <p className="muted">{m.lanHelp}</p>
        {!d.reachable && <p className="warn-note">{m.notReachable}</p>}
        {d.addresses.length === 0 && <p className="warn-note">{m.noAddresses}</p>}
        <div className="lan-stats">
          <div className="stat-box">
            <span className="big-number">{formatCount(d.activeReporters)}</span> {m.activeReporters}
          </div>
          <div className="stat-box">
            <span className="big-number">{formatCount(d.connected.boards)}</span> {m.boards}
          </div>
          <div className="stat-box">
            <span className="big-number">{formatCount(d.connected.consoles)}</span> {m.consoles}
          </div>
        </div>
        <p className="small">
          <strong>{m.discovery}:</strong>{' '}
          {d.discovery.enabled ? (
            <>
              {m.advertising} “{d.discovery.name}” ({d.discovery.type})
              {d.discovery.error && <span className="error"> — {d.discovery.error}</span>}
            </>
          ) : (
            m.discoveryOff
          )}{' '}
          · {m.otherDesks}:{' '}
          {d.discovery.peers.length === 0
            ? m.noOtherDesks
            : d.discovery.peers
                .map((p) => `${p.name} (${p.addresses.join(', ') || p.host}:${p.port})`)
                .join('; ')}
        </p>
        {d.discovery.peers.length > 0 && <p className="warn-note">{m.otherDeskWarning}</p>}
      </div>
      <div className="lan-addresses">
        {d.addresses.map((a) => (
          <article
            className="card lan-address"
            key={`${a.interface}-${a.address}`}
            data-address={a.address}
          >
            <h2>
              {a.url}{' '}
              <span className="muted small">
                ({m.interfaceLabel} {a.interface})
              </span>
            </h2>
            <div className="qr-pair">
              <figure>
                <img src={a.laporQr} alt={`QR ${a.laporUrl}`} width={200} height={200} />
                <figcaption>
                  <strong>{m.formForPhones}</strong>
                  <div className="url">{a.laporUrl}</div>
                </figcaption>
              </figure>
              <figure>
                <img src={a.papanQr} alt={`QR ${a.papanUrl}`} width={200} height={200} />
                <figcaption>
                  <strong>{m.boardUrl}</strong>
                  <div className="url">{a.papanUrl}</div>
                </figcaption>
              </figure>
            </div>
          </article>
        ))}
      </div>
    </section>
  )
}
