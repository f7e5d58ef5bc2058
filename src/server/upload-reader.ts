import { Worker } from 'node:worker_threads'
import { DeskError } from '../service/errors'
import { workerEntry, type WorkerEntry } from '../service/workbook-builder'
import { checkWorkbookSize, isWorkbook, readTable, TABLE_LIMITS, type TableLimits } from './tables'

export interface UploadReaderOptions {
  limits?: TableLimits
  /** A parse still running after this long is stopped and its file refused. */
  timeoutMs?: number
  /** Heap of the parsing thread (MB); past it the thread dies and the file is refused. */
  heapMb?: number
  /** Parses at once; more wait, and past `queue` waiting ones a new upload is refused (503). */
  concurrency?: number
  queue?: number
  entry?: () => WorkerEntry
}

const INLINE_CSV_BYTES = 256 * 1024

type Reply =
  | { chunk: string }
  | { ok: true; rows: number }
  | {
      ok: false
      error: { status: number; code: string; message: string; fields: Record<string, string> }
    }

/**
 * The worker's rows, chunk by chunk, giving the event loop a turn between chunks: a big sheet's
 * rows never hold the desk's thread for longer than one chunk's JSON.parse.
 */
async function parseChunks(chunks: string[], expected: number): Promise<string[][]> {
  const rows: string[][] = []
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve))
    for (const row of JSON.parse(chunks[i]!) as string[][]) rows.push(row)
    chunks[i] = ''
  }
  if (rows.length !== expected)
    throw new Error(`Pekerja pembaca berkas mengirim ${rows.length} baris, bukan ${expected}`)
  return rows
}

/**
 * Reads uploaded tables (TPS, people, KPU figures) off the desk's thread. Each file gets a new
 * worker thread with a heap limit and a deadline, which is terminated afterwards whatever
 * happened: a workbook that pollutes prototypes or runs a slow regex touches only that thread.
 * A workbook plainly too big (from its zip directory) is refused here before any thread starts.
 */
export class UploadReader {
  private readonly limits: TableLimits
  private readonly timeoutMs: number
  private readonly heapMb: number
  private readonly concurrency: number
  private readonly queueMax: number
  private readonly entry: () => WorkerEntry
  private running = 0
  private readonly waiting: (() => void)[] = []
  /** Threads started so far (one per file parsed). */
  started = 0

  constructor(options: UploadReaderOptions = {}) {
    this.limits = options.limits ?? TABLE_LIMITS
    this.timeoutMs = options.timeoutMs ?? 30_000
    this.heapMb = options.heapMb ?? 512
    this.concurrency = options.concurrency ?? 1
    this.queueMax = options.queue ?? 8
    this.entry = options.entry ?? (() => workerEntry(import.meta.url, 'upload-worker'))
  }

  async read(body: Buffer): Promise<string[][]> {
    // Plainly too big: refused before any thread starts (a workbook by its zip directory).
    if (body.length > this.limits.bytes) {
      throw new DeskError(
        413,
        'too_large',
        `Berkas terlalu besar (paling besar ${Math.floor(this.limits.bytes / 1024 / 1024)} MB).`,
        { file: 'Berkas terlalu besar' },
      )
    }
    const workbook = isWorkbook(body)
    if (workbook) checkWorkbookSize(body, this.limits)
    // A small CSV is split into rows faster than a thread starts (no parser with known holes
    // runs: only our own CSV reader). Workbooks, and CSV past this size, go to a thread.
    if (!workbook && body.length <= INLINE_CSV_BYTES) return readTable(body, this.limits)
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueMax) {
        throw new DeskError(
          503,
          'busy',
          'Desk sedang membaca berkas lain. Coba lagi sebentar lagi.',
        )
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
    this.running++
    try {
      return await this.parse(body)
    } finally {
      this.running--
      this.waiting.shift()?.()
    }
  }

  private parse(body: Buffer): Promise<string[][]> {
    const { file, execArgv } = this.entry()
    // A copy the worker owns: the request's buffer may be a slice of a pooled one.
    const copy = new Uint8Array(body)
    const worker = new Worker(file, {
      name: 'desk-upload',
      workerData: { body: copy, limits: this.limits },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32 },
      ...(execArgv ? { execArgv } : {}),
    })
    this.started++
    return new Promise<string[][]>((resolve, reject) => {
      let settled = false
      const settle = (fn: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        fn()
        void worker.terminate()
      }
      const timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new DeskError(
                422,
                'too_slow',
                `Berkas terlalu rumit untuk dibaca dalam ${Math.round(this.timeoutMs / 1000)} detik. Kirim hanya tabel yang diimpor, atau sebagai CSV.`,
                {
                  file: 'Terlalu lama dibaca',
                },
              ),
            ),
          ),
        this.timeoutMs,
      )
      const chunks: string[] = []
      worker.on('message', (reply: Reply) => {
        // Only kept here: parsed after the worker is done, a chunk per turn of the event loop.
        if ('chunk' in reply) return void chunks.push(reply.chunk)
        settle(() =>
          reply.ok
            ? resolve(parseChunks(chunks, reply.rows))
            : reject(
                new DeskError(
                  reply.error.status,
                  reply.error.code,
                  reply.error.message,
                  reply.error.fields,
                ),
              ),
        )
      })
      worker.on('error', (e: Error & { code?: string }) =>
        settle(() =>
          reject(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new DeskError(
                  413,
                  'too_large',
                  'Berkas terlalu besar untuk dibaca. Kirim hanya tabel yang diimpor (satu lembar), atau sebagai CSV.',
                  { file: 'Berkas terlalu besar' },
                )
              : new DeskError(
                  400,
                  'bad_file',
                  'Berkas tidak bisa dibaca. Simpan ulang dari Excel sebagai .xlsx atau kirim sebagai CSV.',
                  { file: 'Tidak bisa dibaca' },
                ),
          ),
        ),
      )
      worker.on('exit', (code) =>
        settle(() => reject(new Error(`Pekerja pembaca berkas berhenti tiba-tiba (kode ${code})`))),
      )
    })
  }
}
