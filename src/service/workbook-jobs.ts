// What the export worker is asked to do, and how its answers and errors cross the thread boundary.
// Pure CPU work: recap data in (plain, structured-cloneable), workbook bytes out. Nothing here
// touches SQLite: the main thread collects the data, the worker only builds.

import { gunzipSync, gzipSync } from 'node:zlib'
import {
  buildReconcileWorkbook,
  buildRecapWorkbook,
  type BuiltWorkbook,
} from '../export/recap-workbook'
import {
  SOURCE_FORMAT,
  type ExportProfile,
  type RecapSource,
  type SnapshotLabel,
} from '../export/source'
import type { RowError } from '../shared/api'
import { DeskError } from './errors'

export interface RecapBuild {
  profile: ExportProfile
  snapshot?: SnapshotLabel | null
  thresholdPercent?: number
}

export type WorkbookJob =
  /** Recap workbooks from collected data; `gzipSource` also returns the data as gzipped JSON (a snapshot keeps it). */
  | { kind: 'recap'; source: RecapSource; builds: RecapBuild[]; gzipSource?: boolean }
  /** Recap workbooks again from a snapshot's stored data (gzipped JSON), with the threshold it was frozen with. */
  | { kind: 'rebuild'; gzipped: Uint8Array; builds: RecapBuild[] }
  /** The KPU difference report alone. */
  | { kind: 'reconcile'; source: RecapSource; thresholdPercent: number }

export interface WorkbookAnswer {
  built: BuiltWorkbook[]
  gzippedSource?: Buffer
}

/** An error as it crosses the thread boundary: a DeskError keeps its status, code and fields. */
export interface WireError {
  name: string
  message: string
  stack?: string
  desk?: { status: number; code: string; fields?: Record<string, string>; rows?: RowError[] }
}

export type WorkerReply =
  { id: number; ok: true; answer: WorkbookAnswer } | { id: number; ok: false; error: WireError }

export function runWorkbookJob(job: WorkbookJob): WorkbookAnswer {
  switch (job.kind) {
    case 'recap': {
      const built = job.builds.map((b) => buildRecapWorkbook(job.source, b))
      return job.gzipSource
        ? { built, gzippedSource: gzipSync(JSON.stringify(job.source)) }
        : { built }
    }
    case 'rebuild': {
      const source = JSON.parse(gunzipSync(job.gzipped).toString('utf8')) as RecapSource
      // A snapshot frozen by an older desk was written by that version's builder (format 1: SheetJS,
      // unstyled). Its stored file is kept and served unchanged; this version cannot remake those bytes.
      if (source.format !== SOURCE_FORMAT) {
        throw new DeskError(
          409,
          'snapshot_format',
          `Snapshot ini dibuat oleh versi desk yang lebih lama (format data ${String(source.format)}). Berkasnya tetap tersimpan utuh dengan SHA-256 yang sama, tetapi versi ini tidak bisa membangunnya ulang untuk diperiksa.`,
        )
      }
      // The threshold only matters with KPU figures, and then it is the one frozen into the data.
      return {
        built: job.builds.map((b) =>
          buildRecapWorkbook(source, {
            ...b,
            thresholdPercent: b.thresholdPercent ?? source.kpu?.thresholdPercent,
          }),
        ),
      }
    }
    case 'reconcile':
      return { built: [buildReconcileWorkbook(job.source, job.thresholdPercent)] }
  }
}

/** A buffer's memory can be handed over (not copied) only when the buffer owns all of it (not a pool slice). */
function ownsMemory(b: Uint8Array): boolean {
  return (
    b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
  )
}

/** The ArrayBuffers of an answer that may be transferred instead of copied. */
export function transferables(answer: WorkbookAnswer): ArrayBuffer[] {
  const list = [
    ...answer.built.map((b) => b.bytes),
    ...(answer.gzippedSource ? [answer.gzippedSource] : []),
  ]
  return list.filter(ownsMemory).map((b) => b.buffer as ArrayBuffer)
}

/** A structured clone turns Buffers into plain Uint8Arrays: make them Buffers again, without copying. */
export function reviveAnswer(answer: WorkbookAnswer): WorkbookAnswer {
  const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)
  return {
    built: answer.built.map((b) => ({ ...b, bytes: buf(b.bytes) })),
    ...(answer.gzippedSource ? { gzippedSource: buf(answer.gzippedSource) } : {}),
  }
}

export function toWire(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) }
  const wire: WireError = {
    name: e.name,
    message: e.message,
    ...(e.stack ? { stack: e.stack } : {}),
  }
  if (e instanceof DeskError) {
    wire.desk = {
      status: e.status,
      code: e.code,
      ...(e.fields ? { fields: e.fields } : {}),
      ...(e.rows ? { rows: e.rows } : {}),
    }
  }
  return wire
}

/** The error the caller would have seen had the build run on its own thread. */
export function fromWire(w: WireError): Error {
  const e = w.desk
    ? new DeskError(w.desk.status, w.desk.code, w.message, w.desk.fields, w.desk.rows)
    : new Error(w.message)
  e.name = w.name
  if (w.stack) e.stack = w.stack
  return e
}
