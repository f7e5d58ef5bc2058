import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtApp } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, DESA_C, sid, startDesk, tpsCsv } from '../helpers/desk'
import { readWorkbook, rowsOf } from './fixture'

let cli: string
let dataDir: string
let work: string

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DESK_ADMIN_TOKEN: '' },
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code) => resolve({ code, out, err }))
  })
}

/** The bupati sheet of TPS 001 in desa A, with these votes. */
const sheetA1 = (votes: Record<string, number>) => ({
  submissionId: sid(),
  tps: `${DESA_A}.001`,
  contest: 'bupati',
  votes,
  invalid: 4,
})

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

beforeAll(async () => {
  cli = join(builtApp(), 'main', 'cli.js')
  work = mkdtempSync(join(tmpdir(), 'desk-export-cli-'))
  dataDir = join(work, 'data')
  const desk = await startDesk({ dataDir })
  await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_C], 2))
  const r = await desk.call('POST', '/results', sheetA1({ '1': 120, '2': 80 }))
  expect(r.status).toBe(201)
  await desk.stop()
}, 180_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('desk CLI: export and import-kpu', () => {
  it('writes the recap of a stopped desk to a file and prints its SHA-256', async () => {
    const out = join(work, 'rekap.xlsx')
    const r = await run(['export', '--data-dir', dataDir, '--out', out])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`Rekap berjenjang: ${out}`)
    expect(r.out).toContain(`SHA-256 berkas: ${sha(out)}`)
    const wb = readWorkbook(readFileSync(out))
    const tps = rowsOf(wb.Sheets['Rekap TPS Bupati']!)
    expect(tps.find((row) => row[0] === `${DESA_A}.001`)).toEqual(
      expect.arrayContaining(['Melapor', 120, 80]),
    )
  })

  it('freezes, and writes a snapshot again byte for byte', async () => {
    const a = join(work, 'beku.xlsx')
    const frozen = await run([
      'export',
      '--data-dir',
      dataDir,
      '--out',
      a,
      '--freeze',
      '--label',
      'Kirim ke provinsi',
      '--profile',
      'lengkap',
    ])
    expect(frozen.code).toBe(0)
    expect(frozen.out).toContain('Rekap dibekukan: snapshot #1')
    const b = join(work, 'beku-lagi.xlsx')
    const again = await run([
      'export',
      '--data-dir',
      dataDir,
      '--out',
      b,
      '--snapshot',
      '1',
      '--profile',
      'lengkap',
    ])
    expect(again.code).toBe(0)
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true)
  })

  it('refuses a bad KPU file naming row and column, and a bad option plainly', async () => {
    const bad = join(work, 'kpu.csv')
    writeFileSync(bad, 'kode_kecamatan,suara_1,suara_2,suara_tidak_sah\n35.09.01,10,x,0\n')
    const r = await run(['import-kpu', bad, '--data-dir', dataDir, '--contest', 'bupati'])
    expect(r.code).toBe(1)
    expect(r.err).toContain('Tidak ada yang diimpor')
    expect(r.err).toContain(
      'baris 2, kolom suara_2: kolom suara_2 (C): "x" harus bilangan bulat 0 atau lebih',
    )
    const ok = join(work, 'kpu-ok.csv')
    writeFileSync(ok, 'kode_kecamatan,suara_1,suara_2,suara_tidak_sah\n35.09.01,10,20,0\n')
    const good = await run(['import-kpu', ok, '--data-dir', dataDir, '--contest', 'bupati'])
    expect(good.code).toBe(0)
    expect(good.out).toContain('Data KPU diimpor: impor #1, tingkat kecamatan')
    const wrong = await run([
      'export',
      '--data-dir',
      dataDir,
      '--out',
      join(work, 'x.xlsx'),
      '--profile',
      'rahasia',
    ])
    expect(wrong.code).toBe(1)
    expect(wrong.err).toContain('Profil harus berjenjang')
  })

  it('downloads from a running desk with --url', async () => {
    const desk = await startDesk({ dataDir })
    try {
      const out = join(work, 'online.xlsx')
      const r = await run([
        'export',
        '--url',
        desk.url,
        '--token',
        ADMIN_TOKEN,
        '--out',
        out,
        '--snapshot',
        '1',
      ])
      expect(r.err).toBe('')
      expect(r.code).toBe(0)
      expect(readFileSync(out).equals(readFileSync(join(work, 'beku.xlsx')))).toBe(false) // berjenjang, not lengkap
      const listed = (await desk.call('GET', '/export/snapshots')).body.snapshots[0].files.find(
        (f: any) => f.profile === 'berjenjang',
      )
      expect(sha(out)).toBe(listed.sha256)
    } finally {
      await desk.stop()
    }
  })
  it('freezes while a differing report waits only when told to, offline and over HTTP', async () => {
    let desk = await startDesk({ dataDir })
    const differs = await desk.call('POST', '/results', sheetA1({ '1': 121, '2': 80 }))
    expect(differs.status).toBe(202)
    await desk.stop()
    const out = join(work, 'konflik.xlsx')
    // No terminal to ask on (stdin is not a TTY here): refused, naming the flag.
    const refused = await run(['export', '--data-dir', dataDir, '--out', out, '--freeze'])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('1 laporan berbeda/koreksi masih menunggu keputusan supervisor')
    expect(refused.err).toContain('--confirm-open-conflicts')
    const confirmed = await run([
      'export',
      '--data-dir',
      dataDir,
      '--out',
      out,
      '--freeze',
      '--confirm-open-conflicts',
    ])
    expect(confirmed.code).toBe(0)
    expect(confirmed.out).toMatch(/Rekap dibekukan: snapshot #\d+/)
    const first = Object.fromEntries(
      rowsOf(readWorkbook(readFileSync(out)).Sheets['Ringkasan']!).map((r) => [r[0], r[1]]),
    )
    expect(first['Laporan berbeda terbuka']).toMatch(/^1 laporan berbeda/)
    desk = await startDesk({ dataDir })
    try {
      const online = await run([
        'export',
        '--url',
        desk.url,
        '--token',
        ADMIN_TOKEN,
        '--out',
        out,
        '--freeze',
      ])
      expect(online.code).toBe(1)
      expect(online.err).toContain('--confirm-open-conflicts')
      const ok = await run([
        'export',
        '--url',
        desk.url,
        '--token',
        ADMIN_TOKEN,
        '--out',
        out,
        '--freeze',
        '--confirm-open-conflicts',
      ])
      expect(ok.code).toBe(0)
    } finally {
      await desk.stop()
    }
  })

  it("exports a training desk's folder without --training (the folder says what it is)", async () => {
    const training = join(work, 'latihan')
    const desk = await startDesk({ dataDir: training, training: true })
    await desk.stop()
    const out = join(work, 'latihan.xlsx')
    const r = await run(['export', '--data-dir', training, '--out', out])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const wb = readWorkbook(readFileSync(out))
    expect(rowsOf(wb.Sheets['Ringkasan']!)[0]![0]).toBe('MODE LATIHAN — data simulasi')
    // A flag that contradicts the folder is still refused, saying which folder it is.
    const wrong = await run(['export', '--data-dir', dataDir, '--out', out, '--training'])
    expect(wrong.code).toBe(1)
    expect(wrong.err).toContain('data SUNGGUHAN')
    const missing = await run(['export', '--data-dir', join(work, 'tidak-ada'), '--out', out])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('tidak berisi data desk')
  })
})
