import { toString as qrSvg } from 'qrcode'
import { useEffect, useState } from 'react'
import { boardLink, laporLink } from './issued-codes'

export interface CredentialCard {
  id: string
  name: string
  /** `reporter`, `operator`, `supervisor`, `display`: decides what the card tells its holder to open. */
  role: string
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
  /** The address reporters' phones open (the public URL when there is one), e.g. https://desk-pilkada.jemberkab.go.id */
  reporterUrl: string
  /** The desk's LAN address for the console and the wall board, e.g. http://192.168.1.10:4046 */
  staffUrl: string
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
 * What a card is for. A reporter reports from a phone (/lapor); operators and supervisors work at
 * the console on a laptop in the office, never on a phone, so their card has no QR code; a wall
 * board's card opens /papan already signed in.
 */
export type CardKind = 'lapor' | 'console' | 'board'

export function cardKind(role: string): CardKind {
  return role === 'reporter' ? 'lapor' : role === 'display' ? 'board' : 'console'
}

const trim = (url: string) => url.replace(/\/+$/, '')

/** The link a card's QR code holds (null: the card has none), signed in by the code in the fragment. */
export function cardLink(
  card: Pick<CredentialCard, 'role' | 'accessCode'>,
  reporterUrl: string,
  staffUrl: string,
): string | null {
  const kind = cardKind(card.role)
  if (kind === 'lapor') return reporterUrl ? laporLink(reporterUrl, card.accessCode) : null
  if (kind === 'board') return staffUrl ? boardLink(staffUrl, card.accessCode) : null
  return null
}

/** The address printed on a card for typing by hand. */
export function cardAddress(
  card: Pick<CredentialCard, 'role'>,
  reporterUrl: string,
  staffUrl: string,
): string {
  const kind = cardKind(card.role)
  const base = kind === 'lapor' ? reporterUrl : staffUrl
  if (!base) return '—'
  return kind === 'lapor'
    ? `${trim(base)}/lapor`
    : kind === 'board'
      ? `${trim(base)}/papan`
      : `${trim(base)}/`
}

const TEXT: Record<CardKind, { open: string; scan: string | null }> = {
  lapor: { open: 'Buka di HP:', scan: 'Pindai untuk masuk' },
  console: { open: 'Buka konsol desk di laptop kantor (jaringan LAN), bukan di HP:', scan: null },
  board: {
    open: 'Buka papan di layar/TV (jaringan LAN kantor):',
    scan: 'Pindai: papan terbuka, sudah masuk',
  },
}

/**
 * An address to type by hand: lines break after `//` or before the path, never at the hyphen of
 * `desk-pilkada` (a reader would drop it as a hyphenation). A host too long for one line may break.
 */
function PrintedUrl({ url }: { url: string }) {
  const m = /^(https?:\/\/)([^/]+)(.*)$/.exec(url)
  if (!m) return <>{url}</>
  return (
    <>
      {m[1]}
      <wbr />
      <span className={m[2]!.length <= 30 ? 'nowrap' : undefined}>{m[2]}</span>
      <wbr />
      {m[3]}
    </>
  )
}

/**
 * The printable credential sheet: A4, eight cards a page (2 × 4, cut along the dashed lines). Each
 * card: name, role and region, the address its holder opens, the access code, and — for reporters
 * and wall boards — a QR code that opens their screen already signed in.
 */
export function CredentialSheet({
  cards,
  reporterUrl,
  staffUrl,
  deskName,
  training,
  onReady,
}: CredentialSheetProps) {
  const [qr, setQr] = useState<Record<string, string>>({})
  const key =
    cards.map((c) => `${c.id}:${c.role}:${c.accessCode}`).join('|') + `@${reporterUrl}@${staffUrl}`

  useEffect(() => {
    let cancelled = false
    onReady?.(false)
    const jobs = cards.flatMap((c) => {
      const link = cardLink(c, reporterUrl, staffUrl)
      return link ? [qrDataUrl(link).then((src) => [c.id, src] as const)] : []
    })
    void Promise.all(jobs).then((pairs) => {
      if (cancelled) return
      setQr(Object.fromEntries(pairs))
      onReady?.(true)
    })
    return () => {
      cancelled = true
    }
    // `key` stands for cards and addresses: redraw only when what is printed changes. onReady is
    // the parent's callback, told of each redraw; a new closure of it is no reason to redraw.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- cards and addresses through key
  }, [key])

  const pages: CredentialCard[][] = []
  for (let i = 0; i < cards.length; i += CARDS_PER_PAGE)
    pages.push(cards.slice(i, i + CARDS_PER_PAGE))
  return (
    <div className="credential-sheet">
      {pages.map((page, i) => (
        <div className="credential-page" key={i}>
          {page.map((c) => {
            const kind = cardKind(c.role)
            const link = cardLink(c, reporterUrl, staffUrl)
            return (
              <article
                className={`credential-card card-${kind}`}
                key={c.id}
                data-user={c.id}
                data-kind={kind}
              >
                <header>
                  <span>Kartu akses · Desk Pilkada</span>
                  {training && <strong className="latihan">LATIHAN</strong>}
                </header>
                <div className="credential-body">
                  <div className="credential-text">
                    <p className="credential-name">{c.name}</p>
                    <p className="credential-role">{c.roleLabel}</p>
                    <p className="credential-region">{c.regionLabel}</p>
                    <p className="credential-label">{TEXT[kind].open}</p>
                    <p className="credential-url">
                      <PrintedUrl url={cardAddress(c, reporterUrl, staffUrl)} />
                    </p>
                    <p className="credential-label">Kode akses:</p>
                    <p className="credential-code">{c.accessCode}</p>
                    {/* Only reporters send results by SMS: a staff card never carries an SMS code. */}
                    {kind === 'lapor' && c.smsCode && (
                      <p className="credential-sms" data-sms-code={c.smsCode}>
                        Kode SMS: <b>{c.smsCode}</b>
                      </p>
                    )}
                  </div>
                  {TEXT[kind].scan ? (
                    <div className="credential-qr">
                      {qr[c.id] && link ? (
                        <img
                          src={qr[c.id]}
                          alt={`Kode QR masuk untuk ${c.name}`}
                          data-link={link}
                        />
                      ) : null}
                      <span>{TEXT[kind].scan}</span>
                    </div>
                  ) : (
                    <div className="credential-noqr">
                      <p>Tanpa kode QR: konsol dibuka di laptop kantor, bukan di HP.</p>
                      <p>Ketik alamat di kiri, lalu masuk dengan kode akses.</p>
                    </div>
                  )}
                </div>
                <footer>
                  {deskName}. Kode ini rahasia: jangan dibagikan. Hilang? Hubungi desk untuk kode
                  baru.
                </footer>
              </article>
            )
          })}
        </div>
      ))}
    </div>
  )
}
