import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDesk } from '../../src/host/desk'
import { silentLogger } from '../../src/server/logger'
import { fsReason } from '../../src/service/sms-gammu'
import { ADMIN_TOKEN } from '../helpers/desk'

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok))
  const port = (srv.address() as { port: number }).port
  await new Promise<void>((ok) => srv.close(() => ok()))
  return port
}

const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
    () => true,
    () => false,
  )

describe('SMS gateways that cannot be set up stop the start cleanly', () => {
  const roots: string[] = []
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true })
  })

  async function tryStart(gammu: { inbox: string; outbox: string }) {
    const root = mkdtempSync(join(tmpdir(), 'desk-sms-start-'))
    roots.push(root)
    const dataDir = join(root, 'data')
    const port = await freePort()
    const start = () =>
      createDesk({
        dataDir,
        port,
        host: '127.0.0.1',
        adminToken: ADMIN_TOKEN,
        logger: silentLogger,
        staticDir: null,
        sms: { gammu: { ...gammu, pollMs: 0 } },
      })
    return { root, dataDir, port, start }
  }

  it('names the inbox setting in Indonesian, leaves no server answering and the data dir unlocked', async () => {
    const base = mkdtempSync(join(tmpdir(), 'desk-sms-file-'))
    roots.push(base)
    // A regular file where a folder should be: gammu's spool cannot be made (as for a root-owned /var/spool/gammu).
    writeFileSync(join(base, 'spool'), 'bukan folder')
    const t = await tryStart({ inbox: join(base, 'spool', 'inbox'), outbox: join(base, 'outbox') })
    await expect(t.start()).rejects.toThrow(
      `Folder inbox Gammu: desk tidak bisa membuat ${join(base, 'spool', 'inbox')} (`,
    )
    expect(await answers(t.port)).toBe(false)
    expect(existsSync(join(t.dataDir, 'desk.lock'))).toBe(false)
    // The same data dir starts again at once (the desktop app can be reopened with other settings).
    const again = await createDesk({
      dataDir: t.dataDir,
      port: t.port,
      host: '127.0.0.1',
      adminToken: ADMIN_TOKEN,
      logger: silentLogger,
      staticDir: null,
    })
    expect(await answers(t.port)).toBe(true)
    await again.close()
  })

  it('names the outbox setting', async () => {
    const base = mkdtempSync(join(tmpdir(), 'desk-sms-file-'))
    roots.push(base)
    writeFileSync(join(base, 'out'), 'bukan folder')
    const t = await tryStart({
      inbox: join(base, 'in', 'inbox'),
      outbox: join(base, 'out', 'outbox'),
    })
    await expect(t.start()).rejects.toThrow(
      /^Folder outbox Gammu: desk tidak bisa membuat .*outbox \(ada berkas biasa, bukan folder, di jalurnya\)/,
    )
    expect(await answers(t.port)).toBe(false)
    expect(existsSync(join(t.dataDir, 'desk.lock'))).toBe(false)
  })

  it.skipIf(process.getuid?.() === 0)(
    'says "izin ditolak" when processed/ cannot be made beside the inbox (non-root only)',
    async () => {
      const base = mkdtempSync(join(tmpdir(), 'desk-sms-perm-'))
      roots.push(base)
      mkdirSync(join(base, 'gammu', 'inbox'), { recursive: true })
      mkdirSync(join(base, 'gammu', 'outbox'))
      chmodSync(join(base, 'gammu'), 0o555)
      try {
        const t = await tryStart({
          inbox: join(base, 'gammu', 'inbox'),
          outbox: join(base, 'gammu', 'outbox'),
        })
        await expect(t.start()).rejects.toThrow(
          `Folder inbox Gammu: desk tidak bisa membuat ${join(base, 'gammu', 'processed')} (izin ditolak)`,
        )
      } finally {
        chmodSync(join(base, 'gammu'), 0o755)
      }
    },
  )

  it("words the file system's refusals for an operator", () => {
    expect(fsReason(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('izin ditolak')
    expect(fsReason(Object.assign(new Error('x'), { code: 'EROFS' }))).toBe(
      'sistem berkas hanya-baca',
    )
  })
})
