import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDesk } from '../../src/host/desk'
import { deskLog } from '../../src/host/desk-log'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'desk-log-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the terminal is for people; requests go to a rotated file (issue 13, item 14)', () => {
  it('writes every entry as JSON to the file, and only warnings and errors to the terminal, in WIB', async () => {
    const dir = tempDir()
    const terminal: string[] = []
    const log = deskLog(dir, {
      terminal: (l) => terminal.push(l),
      now: () => new Date('2024-11-27T11:05:09Z'),
    })
    log.info('http', { method: 'GET', path: '/api/v1/health', status: 200 })
    log.warn('discovery.error', { message: 'Nama "desk" sudah dipakai' })
    log.error('unhandled', { error: 'boom' })
    await log.close()
    const lines = readFileSync(join(dir, 'logs', 'desk.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'http'],
      ['warn', 'discovery.error'],
      ['error', 'unhandled'],
    ])
    expect(terminal).toEqual([
      '27-11-2024 18:05:09 WIB  PERINGATAN  discovery.error — message=Nama "desk" sudah dipakai',
      '27-11-2024 18:05:09 WIB  GALAT  unhandled — error=boom',
    ])
  })

  it('merges repeated terminal lines into one line with a count; the file keeps every entry', async () => {
    const dir = tempDir()
    const terminal: string[] = []
    let t = Date.parse('2024-11-27T11:00:00Z')
    const log = deskLog(dir, { terminal: (l) => terminal.push(l), now: () => new Date(t) })
    // A burst of lockouts within a second: one line now, the count when the burst is over.
    for (let i = 0; i < 40; i++) log.warn('auth.lockout', { address: `10.0.0.${i}` })
    // The backup stick pulled: backup.failed every minute for 12 minutes.
    for (let i = 0; i < 12; i++) {
      log.warn('backup.failed', { message: 'Folder cadangan tidak ditemukan' })
      t += 60_000
    }
    log.error('unhandled', { error: 'boom' })
    await log.close()
    expect(terminal).toEqual([
      '27-11-2024 18:00:00 WIB  PERINGATAN  auth.lockout — address=10.0.0.0',
      '27-11-2024 18:00:00 WIB  PERINGATAN  backup.failed — message=Folder cadangan tidak ditemukan',
      '27-11-2024 18:05:00 WIB  PERINGATAN  auth.lockout — 39 kali lagi sejak 27-11-2024 18:00:00 WIB (terakhir: address=10.0.0.39)',
      '27-11-2024 18:05:00 WIB  PERINGATAN  backup.failed — 4 kali lagi sejak 27-11-2024 18:00:00 WIB (terakhir: message=Folder cadangan tidak ditemukan)',
      '27-11-2024 18:05:00 WIB  PERINGATAN  backup.failed — message=Folder cadangan tidak ditemukan',
      '27-11-2024 18:10:00 WIB  PERINGATAN  backup.failed — 4 kali lagi sejak 27-11-2024 18:05:00 WIB (terakhir: message=Folder cadangan tidak ditemukan)',
      '27-11-2024 18:10:00 WIB  PERINGATAN  backup.failed — message=Folder cadangan tidak ditemukan',
      '27-11-2024 18:12:00 WIB  GALAT  unhandled — error=boom',
      '27-11-2024 18:12:00 WIB  PERINGATAN  backup.failed — 1 kali lagi sejak 27-11-2024 18:10:00 WIB (terakhir: message=Folder cadangan tidak ditemukan)',
    ])
    const lines = readFileSync(join(dir, 'logs', 'desk.log'), 'utf8')
      .trim()
      .split('\n')
    expect(lines).toHaveLength(40 + 12 + 1)
  })

  it('rotates by size and keeps the last few files', async () => {
    const dir = tempDir()
    const log = deskLog(dir, { maxBytes: 1_000, keep: 2, terminal: () => {} })
    for (let i = 0; i < 100; i++) log.info('http', { path: `/api/v1/tps/${i}`, status: 200 })
    await log.close()
    const file = join(dir, 'logs', 'desk.log')
    expect(existsSync(`${file}.1`)).toBe(true)
    expect(existsSync(`${file}.2`)).toBe(true)
    expect(existsSync(`${file}.3`)).toBe(false)
    for (const f of [file, `${file}.1`, `${file}.2`])
      expect(readFileSync(f).length).toBeLessThanOrEqual(1_000)
    // The newest entry is in the current file.
    expect(readFileSync(file, 'utf8')).toContain('/api/v1/tps/99')
  })

  it('gathers the lines of one event-loop turn into one write: every line, in order, flushed at the end of the turn, by a warning and on close', async () => {
    const dir = tempDir()
    const file = join(dir, 'logs', 'desk.log')
    const log = deskLog(dir, { terminal: () => {} })
    const read = () =>
      (existsSync(file) ? readFileSync(file, 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg: string; i?: number })
    for (let i = 0; i < 500; i++) log.info('http', { i })
    // Still the same turn: nothing written yet.
    expect(read()).toEqual([])
    await new Promise((r) => setImmediate(r))
    expect(read().map((l) => l.i)).toEqual(Array.from({ length: 500 }, (_, i) => i))
    // A warning goes out at once, after what was gathered before it.
    log.info('http', { i: 500 })
    log.warn('disk.low')
    expect(
      read()
        .slice(-2)
        .map((l) => l.msg),
    ).toEqual(['http', 'disk.low'])
    // close() writes what is left of the turn.
    log.info('http', { i: 501 })
    log.info('last')
    await log.close()
    const all = read()
    expect(all.filter((l) => l.msg === 'http').map((l) => l.i)).toEqual(
      Array.from({ length: 502 }, (_, i) => i),
    )
    expect(all.at(-1)!.msg).toBe('last')
  })

  it('a process that exits in the middle of a turn still writes the lines it gathered', () => {
    const dir = tempDir()
    const script = `import { deskLog } from ${JSON.stringify(join(import.meta.dirname, '../../src/host/desk-log.ts'))}
const log = deskLog(${JSON.stringify(dir)}, { terminal: () => {} })
for (let i = 0; i < 3; i++) log.info('http', { i })
process.exit(0)`
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
    })
    const lines = readFileSync(join(dir, 'logs', 'desk.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => l.i)).toEqual([0, 1, 2])
  }, 60_000)

  it('a desk started without a logger logs requests to its data folder, not to stdout', async () => {
    const dir = tempDir()
    const written: string[] = []
    const original = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk))
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof process.stdout.write
    try {
      const desk = await createDesk({
        dataDir: dir,
        port: 0,
        host: '127.0.0.1',
        adminToken: 'test-admin-token-0123456789abcdef',
        staticDir: null,
      })
      expect((await fetch(`${desk.url}/api/v1/health`)).status).toBe(200)
      await desk.close()
      expect(desk.logFile).toBe(join(dir, 'logs', 'desk.log'))
    } finally {
      process.stdout.write = original
    }
    expect(written.join('')).not.toContain('"msg":"http"')
    const entries = readFileSync(join(dir, 'logs', 'desk.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(entries.find((e) => e.msg === 'http')).toMatchObject({
      method: 'GET',
      path: '/api/v1/health',
      status: 200,
    })
    expect(entries.at(-1).msg).toBe('desk.closed')
  })
})
