import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../server/logger'
import { dateTimeWibParts, formatTimeWib } from '../shared/format'

export interface DeskLogOptions {
  /** Rotate the file past this many bytes (default 10 MB). */
  maxBytes?: number
  /** Rotated files kept beside the current one: desk.log.1 … desk.log.N (default 5). */
  keep?: number
  /** Where people read: one line per warning and error (default stderr). */
  terminal?: (line: string) => void
  now?: () => Date
  /** Repeats of one warning within this long are counted, not printed (default 5 minutes). */
  repeatWindowMs?: number
}

export interface DeskLog extends Logger {
  file: string
  /** Append the lines gathered in this turn now (otherwise at its end). */
  flush(): void
  close(): Promise<void>
}

/** "05-12-2026 18:43:33 WIB" */
function wib(d: Date): string {
  return `${dateTimeWibParts(d)[0]} ${formatTimeWib(d, true)}`
}

/**
 * The desk's log: every entry (each request, each warning) as one JSON line in
 * `<dataDir>/logs/desk.log`, rotated by size; warnings and errors also as one readable line on the
 * terminal. The terminal is for the people running the desk on election night, not a firehose of
 * request lines. Entries never carry tokens, codes or query strings (callers see to that).
 */
export function deskLog(dataDir: string, options: DeskLogOptions = {}): DeskLog {
  const dir = join(dataDir, 'logs')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = join(dir, 'desk.log')
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024
  const keep = options.keep ?? 5
  const terminal = options.terminal ?? ((line: string) => process.stderr.write(line + '\n'))
  const now = options.now ?? (() => new Date())
  const repeatWindowMs = options.repeatWindowMs ?? 5 * 60_000
  let size = existsSync(file) ? statSync(file).size : 0
  let fd: number | null = openSync(file, 'a', 0o600)
  // Lines are gathered during one turn of the event loop and appended in one write at its end
  // (setImmediate): under load a write per request cost more than the rest of the logging. A
  // warning or an error is written at once, with everything before it, and a process that exits
  // (even through process.exit) writes what is still gathered first; only a SIGKILL or a power cut
  // can lose the lines of the last turn (a millisecond or so).
  let pending: string[] = []
  let scheduled: NodeJS.Immediate | null = null

  const rotate = () => {
    if (fd !== null) closeSync(fd)
    rmSync(`${file}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--)
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`)
    renameSync(file, `${file}.1`)
    fd = openSync(file, 'a', 0o600)
    size = 0
  }

  /** Append every gathered line, in order, rotating between lines exactly where one at a time would. */
  const flush = () => {
    if (scheduled !== null) {
      clearImmediate(scheduled)
      scheduled = null
    }
    if (pending.length === 0) return
    const lines = pending
    pending = []
    try {
      let chunk = ''
      let chunkBytes = 0
      for (const line of lines) {
        const bytes = Buffer.byteLength(line)
        if (size + chunkBytes > 0 && size + chunkBytes + bytes > maxBytes) {
          if (chunk !== '' && fd !== null) size += writeSync(fd, chunk)
          chunk = ''
          chunkBytes = 0
          if (size > 0) rotate()
        }
        chunk += line
        chunkBytes += bytes
      }
      if (chunk !== '' && fd !== null) size += writeSync(fd, chunk)
    } catch {
      // A full disk must not take the desk down through its log; warnings still reach the terminal.
    }
  }
  const onExit = () => flush()
  process.on('exit', onExit)

  const write = (
    level: 'info' | 'warn' | 'error',
    msg: string,
    fields: Record<string, unknown> = {},
  ) => {
    const at = now()
    if (fd !== null) {
      pending.push(JSON.stringify({ t: at.toISOString(), level, msg, ...fields }) + '\n')
      if (level !== 'info') flush()
      else if (scheduled === null) scheduled = setImmediate(flush)
    }
    if (level !== 'info') toTerminal(at, level, msg, fields)
  }

  const detailOf = (fields: Record<string, unknown>) =>
    Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ')
  const label = (level: 'warn' | 'error') => (level === 'warn' ? 'PERINGATAN' : 'GALAT')

  // The same warning over and over (an `auth.lockout` burst, `backup.failed` every interval while
  // the stick is out) is one line, then one line per REPEAT_WINDOW_MS with how often it came.
  const repeats = new Map<
    string,
    {
      level: 'warn' | 'error'
      msg: string
      since: Date
      count: number
      last: Record<string, unknown>
    }
  >()
  const summary = (
    at: Date,
    r: {
      level: 'warn' | 'error'
      msg: string
      since: Date
      count: number
      last: Record<string, unknown>
    },
  ) => {
    const detail = detailOf(r.last)
    terminal(
      `${wib(at)}  ${label(r.level)}  ${r.msg} — ${r.count} kali lagi sejak ${wib(r.since)}${detail ? ` (terakhir: ${detail})` : ''}`,
    )
  }
  /** Repeats whose window has closed (all of them with `all`) are said with their count. */
  const flushRepeats = (at: Date, all = false) => {
    for (const [key, r] of repeats) {
      if (!all && at.getTime() - r.since.getTime() < repeatWindowMs) continue
      if (r.count > 0) summary(at, r)
      repeats.delete(key)
    }
  }
  const toTerminal = (
    at: Date,
    level: 'warn' | 'error',
    msg: string,
    fields: Record<string, unknown>,
  ) => {
    flushRepeats(at)
    const key = `${level} ${msg}`
    const seen = repeats.get(key)
    if (seen) {
      seen.count++
      seen.last = fields
      return
    }
    repeats.set(key, { level, msg, since: at, count: 0, last: fields })
    const detail = detailOf(fields)
    terminal(`${wib(at)}  ${label(level)}  ${msg}${detail ? ` — ${detail}` : ''}`)
  }
  // A burst that stops is still reported with its count once its window is over.
  const sweeper = setInterval(() => flushRepeats(now()), Math.min(60_000, repeatWindowMs))
  sweeper.unref()

  return {
    file,
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    flush,
    close: async () => {
      flush()
      process.off('exit', onExit)
      clearInterval(sweeper)
      flushRepeats(now(), true)
      if (fd !== null) closeSync(fd)
      fd = null
    },
  }
}
