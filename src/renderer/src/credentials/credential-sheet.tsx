import { toString as qrSvg } from 'qrcode'
import { useEffect, useState } from 'react'
import { laporLink } from './issued-codes'

export interface CredentialCard {
  id: string
  name: string
  /** "Pelapor desa", "Petugas kecamatan", … */
  roleLabel: string
  /** "Desa Padomasan, Kec. Jombang" */
  regionLabel: string
  accessCode: string
  /** The 4-character code that starts each result SMS (issue 15). */
  smsCode?: string
}

export interface CredentialSheetProps {
  cards: CredentialCard[]
  /** The address phones open, e.g. http://192.168.1.10:4046 */
  deskUrl: string
  /** "Pemilihan Serentak 2024 · Kabupaten Jember" */
  deskName: string
  training: boolean
  /** Told when every QR code is drawn (printing before that would print empty boxes). */
  onReady?: (ready: boolean) => void
}

export const CARDS_PER_PAGE = 8

/** Same options wherever a QR is drawn, so a test can draw the expected one and compare. */
export const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 1 } as const

/** SVG of a QR code as a data: URL (drawn here, offline; the CSP allows data: images). */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await qrSvg(text, QR_OPTIONS)
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/**
 * The printable credential sheet: A4, eight cards a page (2 × 4, cut along the dashed lines). Each
 * card: name, role and region, the desk's address, the access code, and a QR code that opens the
 * reporter form already signed in.
 */
export function CredentialSheet({ cards, deskUrl, deskName, training, onReady }: CredentialSheetProps) {
  const [qr, setQr] = useState<Record<string, string>>({})
  const key = cards.map((c) => `${c.id}:${c.accessCode}`).join('|') + `@${deskUrl}`

  useEffect(() => {
    let cancelled = false
    onReady?.(false)
    void Promise.all(cards.map(async (c) => [c.id, await qrDataUrl(laporLink(deskUrl, c.accessCode))] as const)).then((pairs) => {
      if (cancelled) return
      setQr(Object.fromEntries(pairs))
      onReady?.(true)
    })
    return () => {
      cancelled = true
    }
    // `key` stands for cards and deskUrl: redraw only when what is printed changes.
  }, [key])

  const pages: CredentialCard[][] = []
  for (let i = 0; i < cards.length; i += CARDS_PER_PAGE) pages.push(cards.slice(i, i + CARDS_PER_PAGE))
  const shownUrl = `${deskUrl.replace(/\/+$/, '')}/lapor`
  return (
    <div className="credential-sheet">
      {pages.map((page, i) => (
        <div className="credential-page" key={i}>
          {page.map((c) => (
            <article className="credential-card" key={c.id} data-user={c.id}>
              <header>
                <span>Kartu akses · Desk Pilkada</span>
                {training && <strong className="latihan">LATIHAN</strong>}
              </header>
              <div className="credential-body">
                <div className="credential-text">
                  <p className="credential-name">{c.name}</p>
                  <p className="credential-role">{c.roleLabel}</p>
                  <p className="credential-region">{c.regionLabel}</p>
                  <p className="credential-label">Buka di HP:</p>
                  <p className="credential-url">{shownUrl}</p>
                  <p className="credential-label">Kode akses:</p>
                  <p className="credential-code">{c.accessCode}</p>
                  {c.smsCode && (
                    <p className="credential-sms" data-sms-code={c.smsCode}>
                      Kode SMS: <b>{c.smsCode}</b>
                    </p>
                  )}
                </div>
                <div className="credential-qr">
                  {qr[c.id] ? <img src={qr[c.id]} alt={`Kode QR masuk untuk ${c.name}`} data-link={laporLink(deskUrl, c.accessCode)} /> : null}
                  <span>Pindai untuk masuk</span>
                </div>
              </div>
              <footer>
                {deskName}. Kode ini rahasia: jangan dibagikan. Hilang? Hubungi desk untuk kode baru.
              </footer>
            </article>
          ))}
        </div>
      ))}
    </div>
  )
}
