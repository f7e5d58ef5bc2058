// The export worker's entry (a worker_threads Worker, one per desk, started by WorkbookBuilder).
// Building a regency's workbook takes about a second of pure CPU, a province's about ten: here it
// does not hold up the desk's event loop, so phones reporting results and the boards are still
// served while a recap is built. Built as its own entry (out/main/export-worker.js).

import { parentPort } from 'node:worker_threads'
import {
  runWorkbookJob,
  toWire,
  transferables,
  type WorkbookJob,
  type WorkerReply,
} from './workbook-jobs'

const port = parentPort
if (!port)
  throw new Error('export-worker.ts runs only as a worker thread (see workbook-builder.ts)')

port.on('message', ({ id, job }: { id: number; job: WorkbookJob }) => {
  let reply: WorkerReply
  let transfer: ArrayBuffer[] = []
  try {
    const answer = runWorkbookJob(job)
    reply = { id, ok: true, answer }
    transfer = transferables(answer)
  } catch (e) {
    reply = { id, ok: false, error: toWire(e) }
  }
  port.postMessage(reply, transfer)
})
