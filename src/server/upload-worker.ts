// The upload worker's entry: parses one uploaded table (CSV or XLSX) and exits. Started per file
// by upload-reader.ts with memory limits and a deadline, so a slow or hostile workbook (xlsx
// 0.18.5: CVE-2023-30533 prototype pollution, CVE-2024-22363 slow regex) can pollute or stall only
// this thread, which is thrown away after the file. Built as its own entry (out/main/upload-worker.js).

import { parentPort, workerData } from 'node:worker_threads'
import { DeskError } from '../service/errors'
import { readTable, type TableLimits } from './tables'

const port = parentPort
if (!port) throw new Error('upload-worker.ts runs only as a worker thread (see upload-reader.ts)')

const { body, limits } = workerData as { body: Uint8Array; limits: TableLimits }
try {
  const rows = readTable(Buffer.from(body.buffer, body.byteOffset, body.byteLength), limits)
  // As one JSON string: the desk's thread parses it natively in a fraction of what a structured
  // clone of hundreds of thousands of small strings costs it.
  port.postMessage({ ok: true, json: JSON.stringify(rows) })
} catch (e) {
  const error =
    e instanceof DeskError
      ? { status: e.status, code: e.code, message: e.message, fields: e.fields ?? {} }
      : { status: 400, code: 'bad_file', message: 'Berkas tidak bisa dibaca. Simpan ulang dari Excel sebagai .xlsx atau kirim sebagai CSV.', fields: { file: 'Tidak bisa dibaca' } }
  port.postMessage({ ok: false, error })
}
