// The upload worker's entry: parses one uploaded table (CSV or XLSX) and exits. Started per file
// by upload-reader.ts with memory limits and a deadline, so a slow or hostile workbook (xlsx
// 0.18.5: CVE-2023-30533 prototype pollution, CVE-2024-22363 slow regex) can pollute or stall only
// this thread, which is thrown away after the file. Built as its own entry (out/main/upload-worker.js).

import { parentPort, workerData } from 'node:worker_threads'
import { DeskError } from '../service/errors'
import { readTable, type TableLimits } from './tables'

const port = parentPort
if (!port) throw new Error('upload-worker.ts runs only as a worker thread (see upload-reader.ts)')

/** Cells per message back to the desk's thread: a few milliseconds of JSON.parse there. */
const CHUNK_CELLS = 20_000

const { body, limits } = workerData as { body: Uint8Array; limits: TableLimits }
try {
  const rows = readTable(Buffer.from(body.buffer, body.byteOffset, body.byteLength), limits)
  // In JSON strings of about CHUNK_CELLS cells each: the desk's thread parses one native JSON.parse
  // per chunk (a fraction of what a structured clone of a million small strings costs it), and
  // answers other requests between chunks — one string for a whole 1.9-million-cell sheet held its
  // event loop for 300 ms.
  let from = 0
  let cells = 0
  for (let i = 0; i < rows.length; i++) {
    cells += rows[i]!.length + 1
    if (cells >= CHUNK_CELLS || i === rows.length - 1) {
      port.postMessage({ chunk: JSON.stringify(rows.slice(from, i + 1)) })
      from = i + 1
      cells = 0
    }
  }
  port.postMessage({ ok: true, rows: rows.length })
} catch (e) {
  const error =
    e instanceof DeskError
      ? { status: e.status, code: e.code, message: e.message, fields: e.fields ?? {} }
      : {
          status: 400,
          code: 'bad_file',
          message:
            'Berkas tidak bisa dibaca. Simpan ulang dari Excel sebagai .xlsx atau kirim sebagai CSV.',
          fields: { file: 'Tidak bisa dibaca' },
        }
  port.postMessage({ ok: false, error })
}
