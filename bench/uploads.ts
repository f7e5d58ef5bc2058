// bench/uploads: what reading an uploaded table costs the desk's event loop (issue 13, finding 2).
// A Jember-sized TPS workbook (4,216 rows) and East Java's size (60,751 rows) are read inline (as
// before) and through the upload worker; a 5.4-million-cell workbook is refused. For each, the
// longest event-loop stall on this thread while it is read. Loopback-free, bounded, no desk.
//
//   npx tsx bench/uploads.ts
import * as XLSX from 'xlsx'
import { readTable } from '../src/server/tables'
import { UploadReader } from '../src/server/upload-reader'
import { workbookWithSheetXml } from '../tests/helpers/zip'

function tpsWorkbook(rows: number): Buffer {
  const aoa: (string | number)[][] = [['kode_desa', 'nomor_tps', 'dpt', 'dpt_l', 'dpt_p', 'lokasi']]
  for (let i = 0; i < rows; i++)
    aoa.push([
      `35.09.${String(1 + (i % 31)).padStart(2, '0')}.${2001 + (i % 9)}`,
      1 + (i % 40),
      300,
      150,
      150,
      `Balai desa ${i}`,
    ])
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'TPS')
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer
}

async function stall<T>(
  fn: () => Promise<T> | T,
): Promise<{ ms: number; stallMs: number; outcome: string }> {
  // The longest gap between ticks of a 2 ms timer: what every other request would have waited.
  let last = performance.now()
  let longest = 0
  const ticker = setInterval(() => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
  }, 2)
  await new Promise((r) => setTimeout(r, 10))
  last = performance.now()
  const t = performance.now()
  let outcome = 'ok'
  try {
    const r = await fn()
    if (Array.isArray(r)) outcome = `${r.length.toLocaleString('id-ID')} baris`
  } catch (e) {
    outcome = `${(e as { status?: number }).status ?? ''} ${(e as Error).message.slice(0, 70)}`
  }
  const ms = performance.now() - t
  await new Promise((r) => setTimeout(r, 20))
  clearInterval(ticker)
  return { ms, stallMs: longest, outcome }
}

async function main() {
  const reader = new UploadReader()
  const row = Buffer.from(`<row>${'<c><v>1</v></c>'.repeat(10)}</row>`)
  const huge = workbookWithSheetXml(Buffer.alloc(row.length * 540_000).fill(row))
  const cases: [string, Buffer][] = [
    ['TPS Jember (4.216 baris)', tpsWorkbook(4_216)],
    ['TPS Jawa Timur (60.751 baris)', tpsWorkbook(60_751)],
  ]
  console.log(
    'berkas                              | cara     | waktu (ms) | jeda event loop terpanjang (ms) | hasil',
  )
  for (const [name, file] of cases) {
    for (const [how, fn] of [
      ['inline', () => readTable(file)],
      ['pekerja', () => reader.read(file)],
    ] as const) {
      const r = await stall(fn)
      console.log(
        `${name.padEnd(35)} | ${how.padEnd(8)} | ${r.ms.toFixed(0).padStart(10)} | ${r.stallMs.toFixed(0).padStart(31)} | ${r.outcome}`,
      )
    }
  }
  const r = await stall(() => reader.read(huge))
  console.log(
    `${`5,4 juta sel (${(huge.length / 1024 / 1024).toFixed(1)} MB zip)`.padEnd(35)} | pekerja  | ${r.ms.toFixed(0).padStart(10)} | ${r.stallMs.toFixed(0).padStart(31)} | ${r.outcome}`,
  )
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
