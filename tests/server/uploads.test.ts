import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as XLSX from 'xlsx'
import { checkWorkbookSize, readTable } from '../../src/server/tables'
import { UploadReader } from '../../src/server/upload-reader'
import { DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { workbookWithSheetXml } from '../helpers/zip'

/** A TPS workbook whose comment points at `__proto__` (CVE-2023-30533 in xlsx 0.18.5). */
function pollutingWorkbook(): Buffer {
  const ws = XLSX.utils.aoa_to_sheet([
    ['kode_desa', 'nomor_tps', 'dpt'],
    [DESA_A, 7, 300],
  ])
  ws.A1!.c = [{ a: 'penyerang', t: 'polusi' }] as never
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, ws, 'TPS')
  const cfb = XLSX.CFB.read(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, {
    type: 'buffer',
  })
  for (const path of cfb.FullPaths.filter((p: string) => /comments\d*\.xml$/.test(p))) {
    const entry = XLSX.CFB.find(cfb, path)!
    entry.content = Buffer.from(
      Buffer.from(entry.content as Uint8Array)
        .toString('utf8')
        .replace('ref="A1"', 'ref="__proto__"'),
    ) as never
  }
  return XLSX.CFB.write(cfb, { type: 'buffer', fileType: 'zip' }) as Buffer
}

/** Rows of `cols` numeric cells, as sheet XML: `rows × cols` cells in about 14 bytes each. */
function sheetXml(rows: number, cols: number): Buffer {
  const letters = Array.from({ length: cols }, (_, c) => XLSX.utils.encode_col(c))
  const parts: string[] = []
  for (let r = 1; r <= rows; r++)
    parts.push(`<row r="${r}">${letters.map((l) => `<c r="${l}${r}"><v>1</v></c>`).join('')}</row>`)
  return Buffer.from(parts.join(''), 'utf8')
}

/** The same row `rows` times (cells without addresses, as Excel allows): one buffer, no strings to collect. */
function repeatedRows(rows: number, cols: number): Buffer {
  const row = Buffer.from(`<row>${'<c><v>1</v></c>'.repeat(cols)}</row>`, 'utf8')
  return Buffer.alloc(row.length * rows).fill(row)
}

/** `rows × cols` cells, each a different number (no two alike, as in a real table of figures). */
function numberedRows(rows: number, cols: number): Buffer {
  const parts: string[] = []
  for (let r = 0; r < rows; r++) {
    let row = '<row>'
    for (let c = 0; c < cols; c++) row += `<c><v>${r * cols + c + 100_000}</v></c>`
    parts.push(row + '</row>')
  }
  return Buffer.from(parts.join(''), 'utf8')
}

describe('uploaded tables are read off the desk thread, with limits (issue 13, finding 2)', () => {
  let desk: TestDesk
  let reporter: string
  let huge: Buffer

  beforeAll(async () => {
    // 5.4 million cells: about 80 MB of sheet XML, a few MB once zipped (the operator's 18 MB KPU
    // file). Built before the desk starts: seconds of work that would idle out keep-alive sockets.
    huge = workbookWithSheetXml(repeatedRows(540_000, 10))
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
    reporter = (
      await desk.call('POST', '/users', { name: 'Pelapor', role: 'reporter', region: DESA_A })
    ).body.accessCode
  })
  afterAll(() => desk.stop())

  it('a workbook with a __proto__ comment reference leaves the desk’s objects unpolluted', async () => {
    const evil = pollutingWorkbook()
    const r = await desk.call('POST', '/tps/import', evil, undefined, {
      'content-type': 'application/octet-stream',
    })
    expect(r.status).toBe(200)
    expect(r.body.imported).toBe(1)
    expect(({} as Record<string, unknown>).c).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('c')
    // The same file read on this thread pollutes it: the worker is what keeps the desk clean.
    try {
      readTable(evil)
      expect(({} as Record<string, unknown>).c).toBeDefined()
    } finally {
      delete (Object.prototype as Record<string, unknown>).c
    }
  })

  it('refuses a huge workbook from its zip directory, and results are still answered within 100 ms', async () => {
    expect(huge.length).toBeLessThan(20 * 1024 * 1024)
    // The reporter's code is verified (scrypt) once before timing.
    expect((await desk.call('GET', '/me', undefined, reporter)).status).toBe(200)
    const sent = await desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: `${DESA_A}.002`,
        contest: 'bupati',
        votes: { '1': 100, '2': 80 },
        invalid: 2,
      },
      reporter,
    )
    expect(sent.status).toBe(201)
    expect((await desk.call('GET', '/recap?contest=bupati&level=kecamatan')).status).toBe(200)
    const upload = desk.call('POST', '/export/kpu/import', huge, undefined, {
      'content-type': 'application/octet-stream',
    })
    const answered: number[] = []
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20))
      const t = performance.now()
      // What a console or board asks meanwhile: a TPS's results and the recap (reads: no fsync in the figure).
      const [tps, recap] = await Promise.all([
        desk.call('GET', `/tps/${DESA_A}.002`, undefined, reporter),
        desk.call('GET', '/recap?contest=bupati&level=kecamatan'),
      ])
      answered.push(performance.now() - t)
      expect([tps.status, recap.status]).toEqual([200, 200])
    }
    const refused = await upload
    expect(refused.status).toBe(413)
    expect(refused.body.error.message).toMatch(/terlalu|paling/)
    expect(refused.body.error.fields).toHaveProperty('file')
    expect(
      Math.max(...answered),
      `answers took ${answered.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    ).toBeLessThan(100)
  }, 60_000)

  it('a workbook inside the limits (a million cells, a few MB) keeps /health under 100 ms while it is read', async () => {
    // Small once zipped, big once unpacked: every cell crosses back to the desk's thread.
    const inside = workbookWithSheetXml(numberedRows(50_000, 20))
    expect(inside.length).toBeLessThan(8 * 1024 * 1024)
    expect(() => checkWorkbookSize(inside)).not.toThrow()
    const upload = desk.call('POST', '/export/kpu/import', inside, undefined, {
      'content-type': 'application/octet-stream',
    })
    let done = false
    void upload.finally(() => (done = true))
    const answered: number[] = []
    while (!done) {
      // Timed from when the request is due, not when it is sent: the test shares the desk's thread,
      // so a stall during the pause delays the sending, and a phone's /health would wait as long.
      const due = performance.now() + 10
      await new Promise((r) => setTimeout(r, 10))
      expect((await desk.call('GET', '/health', undefined, null)).status).toBe(200)
      answered.push(performance.now() - due)
    }
    const answer = await upload
    // Not a KPU table: refused with a reason, as any other wrong file.
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.status).toBeLessThan(500)
    expect(answered.length).toBeGreaterThan(5)
    expect(
      Math.max(...answered),
      `/health took ${answered.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    ).toBeLessThan(100)
    // The 1.88-million-cell sheet that held the desk for 300 ms: past the cell limit no real table needs.
    const past = await desk.call(
      'POST',
      '/export/kpu/import',
      workbookWithSheetXml(numberedRows(94_000, 20)),
      undefined,
      { 'content-type': 'application/octet-stream' },
    )
    expect(past.status).toBe(413)
    expect(past.body.error.fields).toEqual({ file: 'Terlalu banyak sel' })
  }, 120_000)

  it('refuses a workbook past the cell limit inside its thread, and one that takes too long', async () => {
    const reader = new UploadReader({
      limits: {
        bytes: 20 << 20,
        entries: 100,
        sheets: 5,
        sheetBytes: 50 << 20,
        totalBytes: 60 << 20,
        cells: 1_000,
      },
    })
    const many = workbookWithSheetXml(sheetXml(200, 10))
    await expect(reader.read(many)).rejects.toMatchObject({
      status: 413,
      code: 'too_large',
      fields: { file: 'Terlalu banyak sel' },
    })
    const small = workbookWithSheetXml(sheetXml(3, 3))
    expect(await reader.read(small)).toEqual([
      ['1', '1', '1'],
      ['1', '1', '1'],
      ['1', '1', '1'],
    ])
    // Each file gets its own thread, thrown away after it.
    expect(reader.started).toBe(2)
    const slow = new UploadReader({ timeoutMs: 1 })
    await expect(slow.read(workbookWithSheetXml(sheetXml(20_000, 10)))).rejects.toMatchObject({
      status: 422,
      code: 'too_slow',
    })
  }, 60_000)

  it('refuses a body that is not a table, naming the file', async () => {
    const r = await desk.call(
      'POST',
      '/users/import',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
      undefined,
      { 'content-type': 'application/octet-stream' },
    )
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('bad_file')
  })
})

describe('boundary files are size-checked before parsing', () => {
  let desk: TestDesk
  beforeAll(async () => {
    desk = await startDesk()
  })
  afterAll(() => desk.stop())

  it('refuses a boundary body nested far deeper than any GeoJSON, before parsing it', async () => {
    const deep = `{"type":"FeatureCollection","features":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    const r = await desk.call('POST', '/board/boundaries/inspect', deep, undefined, {
      'content-type': 'application/geo+json',
    })
    expect(r.status).toBe(400)
    expect(r.body.error).toMatchObject({
      code: 'too_deep',
      fields: { file: 'Bukan GeoJSON/TopoJSON' },
    })
    expect((await desk.call('GET', '/health', undefined, null)).status).toBe(200)
  })
})
