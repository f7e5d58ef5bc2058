import { createHmac, timingSafeEqual } from 'node:crypto'
import type { SmsSender } from './sms-service'

// SMS Gateway for Android (capcom6/android-sms-gateway), local-server mode: the phone on the LAN
// posts each received SMS to our webhook (`sms:received`), signed with HMAC-SHA256 over the raw
// body followed by the X-Timestamp value (hex in X-Signature); replies go to the phone's own HTTP
// API, `POST <url>/message` with Basic auth and `{ message, phoneNumbers }` — the request the
// maintained `android-sms-gateway` npm client makes. The client itself is not used: its peer
// dependency (TypeScript 5) conflicts with this project's TypeScript 6, and the call is one request.

/** How far a signed timestamp may be from the desk's clock (the app's own advice: ±5 minutes). */
export const SIGNATURE_WINDOW_S = 5 * 60

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'bad'

export function checkAndroidSignature(
  signingKey: string,
  rawBody: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number,
): SignatureCheck {
  if (!timestamp || !signature) return 'missing'
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad'
  // A captured request replayed later is refused (the stored message key also stops a recount).
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_S) return 'stale'
  const expected = createHmac('sha256', signingKey)
    .update(Buffer.concat([rawBody, Buffer.from(timestamp)]))
    .digest()
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : null
  return given && timingSafeEqual(given, expected) ? 'ok' : 'bad'
}

export interface AndroidOptions {
  /** The phone's local server, e.g. http://192.168.1.20:8080 */
  url: string
  user: string
  password: string
  fetch?: typeof fetch
  timeoutMs?: number
  /** Waits before the 2nd and 3rd attempt (default 2 s, 6 s): a phone on Wi-Fi drops out briefly. */
  retryDelaysMs?: number[]
}

/** Replies through the phone's local API. Errors name the HTTP status, never the credentials. */
export class AndroidSender implements SmsSender {
  private readonly base: string
  private readonly auth: string

  constructor(private readonly options: AndroidOptions) {
    const u = new URL(options.url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error('--sms-android-url harus alamat http:// atau https://')
    this.base = options.url.replace(/\/+$/, '')
    this.auth = 'Basic ' + Buffer.from(`${options.user}:${options.password}`).toString('base64')
  }

  /**
   * One reply, tried at most three times when the phone cannot be reached or answers 5xx; a 4xx
   * (wrong user or password, a refused number) is not retried: it would fail the same way.
   */
  async send(to: string, text: string): Promise<void> {
    const delays = this.options.retryDelaysMs ?? [2000, 6000]
    for (let attempt = 0; ; attempt++) {
      const error = await this.attempt(to, text)
      if (!error) return
      if (!error.retry || attempt >= delays.length) throw new Error(error.message)
      await new Promise((ok) => setTimeout(ok, delays[attempt]))
    }
  }

  private async attempt(
    to: string,
    text: string,
  ): Promise<{ message: string; retry: boolean } | null> {
    let res: Response
    try {
      res = await (this.options.fetch ?? fetch)(`${this.base}/message`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: this.auth },
        body: JSON.stringify({ message: text, phoneNumbers: [to] }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      })
      await res.arrayBuffer()
    } catch (e) {
      // Said in words for the SMS screen, not as the runtime's error name ("TypeError").
      const timedOut = (e as Error).name === 'TimeoutError'
      return {
        message: timedOut
          ? 'ponsel gateway tidak menjawab tepat waktu'
          : 'ponsel gateway tidak terjangkau (cek Wi-Fi dan alamat ponsel)',
        retry: true,
      }
    }
    if (res.ok) return null
    return { message: `ponsel gateway menjawab HTTP ${res.status}`, retry: res.status >= 500 }
  }
}
