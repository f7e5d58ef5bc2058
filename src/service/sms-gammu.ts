import {
  accessSync,
  chmodSync,
  constants as fsConstants,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { wellFormed } from '../shared/format'
import type { IncomingSms, SmsSender } from './sms-service'

// Gammu SMSD's files backend (gammu-smsd-files(7)). It writes each received message part as
// `IN<yyyymmdd>_<hhmmss>_<serial>_<sender>_<part>.txt` into the inbox folder: with
// `InboxFormat = unicode` the text is UCS-2 big-endian after a FE FF byte-order mark (gammu writes
// its internal UCS-2 as is), with `standard` it is the locale's charset (UTF-8 here). The parts of
// one multipart message share sender and serial and are numbered _00, _01, … . It sends whatever
// `OUT…txt` file appears in its outbox; `OUT<priority><date>_<time>_<serial>_<number>_<note>.txt`
// names the recipient between the third and fourth underscore.

const IN_NAME = /^IN(\d{8})_(\d{6})_(\d{2})_([^_]+)_(\d{2})\.(txt|bin)$/i

export interface GammuFile {
  name: string
  date: string
  time: string
  serial: string
  sender: string
  part: number
  binary: boolean
}

export function parseInboxName(name: string): GammuFile | null {
  const m = IN_NAME.exec(name)
  if (!m) return null
  return {
    name,
    date: m[1]!,
    time: m[2]!,
    serial: m[3]!,
    sender: m[4]!,
    part: Number(m[5]),
    binary: m[6]!.toLowerCase() === 'bin',
  }
}

/** A gammu text file: UTF-16 with a byte-order mark (either order), or UTF-8; null if cut short. */
export function decodeGammuText(buf: Buffer): string | null {
  if (
    buf.length >= 2 &&
    ((buf[0] === 0xfe && buf[1] === 0xff) || (buf[0] === 0xff && buf[1] === 0xfe))
  ) {
    if (buf.length % 2 !== 0) return null // half a character: still being written
    const body = Buffer.from(buf.subarray(2))
    if (buf[0] === 0xfe) body.swap16()
    // A message split between two SMS may cut an emoji in half: the lone half becomes U+FFFD.
    return wellFormed(body.toString('utf16le').replace(/\0+$/, ''))
  }
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0
  const text = buf.subarray(start).toString('utf8')
  // A multi-byte character cut at the end: the rest is still coming.
  if (text.endsWith('\uFFFD')) return null
  return text
}

/** `20241127` `143012` → `2024-11-27T14:30:12` (the SMSC's time; gammu gives no zone). */
const isoOf = (date: string, time: string) =>
  `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}`

const secondsOf = (f: GammuFile) => Date.parse(isoOf(f.date, f.time) + 'Z') / 1000

/** Why the file system said no, in words an operator acts on. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'izin ditolak'
    case 'ENOTDIR':
      return 'ada berkas biasa, bukan folder, di jalurnya'
    case 'EEXIST':
      return 'sudah ada berkas biasa dengan nama itu'
    case 'EROFS':
      return 'sistem berkas hanya-baca'
    case 'ENOSPC':
      return 'disk penuh'
    case 'ENOENT':
      return 'folder induknya tidak ada'
    default:
      return code ? `galat sistem berkas ${code}` : 'galat sistem berkas'
  }
}

/** A setting's folder problem (createDesk stops with it; the CLI prints the message alone). */
export class GammuFolderError extends Error {}

/** Make `dir` if missing and check the desk may read and write it; throws `GammuFolderError`. */
function prepareFolder(dir: string, setting: string): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    throw new GammuFolderError(
      `${setting}: desk tidak bisa membuat ${dir} (${fsReason(e)}). Buat folder itu untuk pengguna desk (lihat docs/SMS.md, Gammu SMSD).`,
    )
  }
  try {
    accessSync(dir, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK)
  } catch (e) {
    throw new GammuFolderError(
      `${setting}: desk tidak bisa membaca dan menulis ${dir} (${fsReason(e)}). Berikan folder itu kepada pengguna desk (lihat docs/SMS.md, Gammu SMSD).`,
    )
  }
}

export interface GammuOptions {
  inbox: string
  outbox: string
  /** A file is read only once its size and time have not changed for this long (default 2 s). */
  settleMs?: number
  /** A part without its first part is given up (moved to failed/) after this long (default 2 min). */
  orphanMs?: number
  now?: () => number
  onMessage: (msg: IncomingSms) => Promise<unknown>
  onError?: (message: string, detail: Record<string, unknown>) => void
}

/**
 * Reads gammu's inbox folder and writes its outbox. `scan()` handles every message whose files
 * have settled (a file gammu is still writing is never read half-way), then moves its files to
 * `processed/` beside the inbox — or `failed/` when it cannot be read — so none is read twice.
 * A message is moved only after the desk stored it; a crash in between re-reads the file, and
 * the desk knows the message already (same sender, time and text).
 */
export class GammuFilesGateway implements SmsSender {
  readonly inbox: string
  readonly outbox: string
  readonly processedDir: string
  readonly failedDir: string
  private readonly settleMs: number
  private readonly orphanMs: number
  private readonly now: () => number
  private readonly seen = new Map<string, { size: number; mtimeMs: number; since: number }>()
  private timer: NodeJS.Timeout | null = null
  private scanning: Promise<number> | null = null
  private serial = 0

  constructor(private readonly options: GammuOptions) {
    this.inbox = resolve(options.inbox)
    this.outbox = resolve(options.outbox)
    this.processedDir = join(dirname(this.inbox), 'processed')
    this.failedDir = join(dirname(this.inbox), 'failed')
    this.settleMs = options.settleMs ?? 2000
    this.orphanMs = options.orphanMs ?? 120_000
    this.now = options.now ?? (() => Date.now())
    // Checked before the desk listens (createDesk): a folder the desk cannot use stops the start
    // with one sentence naming the setting, instead of a server that takes no SMS.
    prepareFolder(this.inbox, 'Folder inbox Gammu')
    prepareFolder(this.processedDir, 'Folder inbox Gammu')
    prepareFolder(this.failedDir, 'Folder inbox Gammu')
    prepareFolder(this.outbox, 'Folder outbox Gammu')
  }

  /** Poll the inbox every `intervalMs` (default 1 s); polling works on every file system, unlike watching. */
  start(intervalMs = 1000): void {
    if (this.timer) return
    this.timer = setInterval(() => void this.scan(), intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.scanning
  }

  /** One pass over the inbox; returns how many messages were handed to the desk. Never runs twice at once. */
  scan(): Promise<number> {
    this.scanning ??= this.scanOnce().finally(() => (this.scanning = null))
    return this.scanning
  }

  private async scanOnce(): Promise<number> {
    const t = this.now()
    let names: string[]
    try {
      names = readdirSync(this.inbox)
    } catch (e) {
      this.options.onError?.('sms.gammu.inbox', { error: (e as Error).message })
      return 0
    }
    const files: GammuFile[] = []
    const settled = new Set<string>()
    for (const name of names) {
      const f = parseInboxName(name)
      if (!f) continue
      let st
      try {
        st = statSync(join(this.inbox, name))
      } catch {
        continue // moved away meanwhile
      }
      const prev = this.seen.get(name)
      if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
        this.seen.set(name, { size: st.size, mtimeMs: st.mtimeMs, since: t })
      } else if (t - prev.since >= this.settleMs && st.size > 0) {
        settled.add(name)
      }
      files.push(f)
    }
    for (const name of this.seen.keys()) if (!names.includes(name)) this.seen.delete(name)

    // Group parts: a first part (_00) and the parts that follow it from the same sender and serial.
    const bySender = new Map<string, GammuFile[]>()
    for (const f of files) {
      const key = `${f.sender}|${f.serial}`
      bySender.set(key, [...(bySender.get(key) ?? []), f])
    }
    let handled = 0
    for (const group of bySender.values()) {
      group.sort(
        (a, b) => a.date.localeCompare(b.date) || a.time.localeCompare(b.time) || a.part - b.part,
      )
      const used = new Set<GammuFile>()
      for (const first of group.filter((f) => f.part === 0)) {
        const parts = [first]
        for (let n = 1; ; n++) {
          const next = group.find(
            (f) => f.part === n && !used.has(f) && Math.abs(secondsOf(f) - secondsOf(first)) <= 600,
          )
          if (!next) break
          parts.push(next)
        }
        parts.forEach((p) => used.add(p))
        if (!parts.every((p) => settled.has(p.name))) continue
        if (await this.handle(parts)) handled++
      }
      // A later part whose first part never came (gammu itself treats such files as garbage).
      for (const f of group) {
        if (used.has(f) || f.part === 0) continue
        const s = this.seen.get(f.name)
        if (s && t - s.since >= this.orphanMs)
          this.move([f], this.failedDir, 'bagian pesan tanpa bagian pertama')
      }
    }
    return handled
  }

  private async handle(parts: GammuFile[]): Promise<boolean> {
    if (parts.some((p) => p.binary)) {
      this.move(parts, this.failedDir, 'pesan 8-bit (bukan teks)')
      return false
    }
    const texts: string[] = []
    for (const p of parts) {
      const text = decodeGammuText(readFileSync(join(this.inbox, p.name)))
      if (text === null) return false // cut short after all: wait for the next pass
      texts.push(text)
    }
    const first = parts[0]!
    try {
      await this.options.onMessage({
        gateway: 'gammu',
        from: first.sender,
        sentAt: isoOf(first.date, first.time),
        text: texts.join(''),
      })
    } catch (e) {
      this.options.onError?.('sms.gammu.failed', { file: first.name, error: (e as Error).message })
      this.move(parts, this.failedDir, (e as Error).message)
      return false
    }
    this.move(parts, this.processedDir)
    return true
  }

  private move(parts: GammuFile[], dir: string, why?: string): void {
    for (const p of parts) {
      try {
        renameSync(join(this.inbox, p.name), join(dir, p.name))
        this.seen.delete(p.name)
      } catch (e) {
        this.options.onError?.('sms.gammu.move', { file: p.name, error: (e as Error).message })
      }
    }
    if (why)
      this.options.onError?.('sms.gammu.unreadable', {
        files: parts.map((p) => p.name),
        reason: why,
      })
  }

  /**
   * A reply as a gammu outbox file. Written under a dot-name first and renamed: gammu skips hidden
   * files, so it never sends half a text. Plain ASCII (replies are), which gammu reads in any mode.
   */
  async send(to: string, text: string): Promise<void> {
    const d = new Date(this.now())
    const pad = (n: number, w = 2) => String(n).padStart(w, '0')
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
    const number = to.replace(/[^\d+]/g, '')
    if (!/^\+?\d{6,16}$/.test(number)) throw new Error('nomor tujuan tidak sah')
    this.serial = (this.serial + 1) % 100
    const name = `OUTA${stamp}_${pad(this.serial)}_${number}_desk${randomBytes(3).toString('hex')}.txt`
    const tmp = join(this.outbox, `.${name}.tmp`)
    writeFileSync(tmp, text, { encoding: 'utf8', mode: 0o644 })
    chmodSync(tmp, 0o644) // the umask may have taken bits away: gammu-smsd (its own user) reads it
    renameSync(tmp, join(this.outbox, name))
  }
}
