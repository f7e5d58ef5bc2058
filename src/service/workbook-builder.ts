// The main thread's side of the export worker: one worker, one build at a time (the rest wait in
// order), answers and errors handed back as if the build had run here. The worker is started on
// the first build, kept warm while builds come, and never keeps the process alive when idle.

import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { DeskError } from './errors'
import {
  fromWire,
  reviveAnswer,
  type WorkbookAnswer,
  type WorkbookJob,
  type WorkerReply,
} from './workbook-jobs'

/** After this long without a build the worker exits, returning its heap (hundreds of MB after a province). */
const IDLE_MS = 60_000

export interface WorkerEntry {
  file: string
  execArgv?: string[]
}

/**
 * Where the worker's code is. Three ways to run the desk:
 * - built (`npm run serve`, the CLI, Electron's main process): this module is out/main/*.js or a
 *   chunk in out/main/chunks/, and the worker is the build entry out/main/export-worker.js;
 * - from the TypeScript sources (vitest, tsx): the worker is export-worker.ts next to this file.
 *   Node cannot load .ts itself, and tsx's own `--import tsx` registers its loader only on the main
 *   thread on Node 20, so the worker registers tsx's loader itself before its entry loads.
 */
export function workerEntry(
  moduleUrl: string = import.meta.url,
  name = 'export-worker',
): WorkerEntry {
  const here = fileURLToPath(moduleUrl)
  if (here.endsWith('.ts')) {
    const register = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register()`
    return {
      file: join(dirname(here), `${name}.ts`),
      execArgv: ['--import', `data:text/javascript,${encodeURIComponent(register)}`],
    }
  }
  const candidates = [join(dirname(here), `${name}.js`), join(dirname(here), '..', `${name}.js`)]
  const file = candidates.find((f) => existsSync(f))
  if (!file)
    throw new Error(
      `Berkas pekerja ${name} tidak ditemukan (dicari: ${candidates.join(', ')}). Bangun ulang aplikasi: npm run build`,
    )
  return { file }
}

interface Pending {
  id: number
  job: WorkbookJob
  resolve: (answer: WorkbookAnswer) => void
  reject: (error: Error) => void
}

export interface WorkbookBuilderOptions {
  entry?: () => WorkerEntry
  idleMs?: number
}

const stopping = () =>
  new DeskError(503, 'stopping', 'Desk sedang berhenti: rekap tidak jadi dibuat.')

export class WorkbookBuilder {
  private worker: Worker | null = null
  private queue: Pending[] = []
  private current: Pending | null = null
  private idleTimer: NodeJS.Timeout | null = null
  private closed = false
  private nextId = 1
  private readonly entry: () => WorkerEntry
  private readonly idleMs: number
  /** How many workers were started so far (one, unless one died or idled out). */
  started = 0

  constructor(options: WorkbookBuilderOptions = {}) {
    this.entry = options.entry ?? (() => workerEntry())
    this.idleMs = options.idleMs ?? IDLE_MS
  }

  /** The worker's thread id while it runs, else null. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null
  }

  /** Builds waiting, including the one in progress. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0)
  }

  run(job: WorkbookJob): Promise<WorkbookAnswer> {
    if (this.closed) return Promise.reject(stopping())
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject })
      this.pump()
    })
  }

  /** Stop: builds not finished are refused with 503, the worker is terminated. */
  async close(): Promise<void> {
    this.closed = true
    this.clearIdle()
    const waiting = [...(this.current ? [this.current] : []), ...this.queue]
    this.current = null
    this.queue = []
    for (const p of waiting) p.reject(stopping())
    const w = this.worker
    this.worker = null
    if (w) await w.terminate()
  }

  private pump(): void {
    while (!this.current && !this.closed) {
      const next = this.queue.shift()
      if (!next) return this.becomeIdle()
      this.clearIdle()
      try {
        const w = this.ensureWorker()
        this.current = next
        w.ref()
        // The data is copied to the worker here (structured clone): the one part of a build left on this thread.
        w.postMessage({ id: next.id, job: next.job })
      } catch (e) {
        this.current = null
        next.reject(e instanceof Error ? e : new Error(String(e)))
      }
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const { file, execArgv } = this.entry()
    const w = new Worker(file, { name: 'desk-export', ...(execArgv ? { execArgv } : {}) })
    this.started++
    w.on('message', (reply: WorkerReply) => {
      if (w !== this.worker || !this.current || reply.id !== this.current.id) return
      const p = this.current
      this.current = null
      if (reply.ok) p.resolve(reviveAnswer(reply.answer))
      else p.reject(fromWire(reply.error))
      this.pump()
    })
    // An error the build did not catch (out of memory, say): the worker is gone, the next build starts a new one.
    w.on('error', (e) => this.lost(w, e))
    w.on('exit', (code) =>
      this.lost(w, new Error(`Pekerja ekspor berhenti tiba-tiba (kode ${code})`)),
    )
    this.worker = w
    return w
  }

  private lost(w: Worker, e: Error): void {
    if (w !== this.worker) return
    this.worker = null
    const p = this.current
    this.current = null
    p?.reject(e)
    this.pump()
  }

  private becomeIdle(): void {
    const w = this.worker
    if (!w) return
    // Idle, the worker must not keep a CLI run or a stopping desk alive.
    w.unref()
    this.idleTimer ??= setTimeout(() => {
      this.idleTimer = null
      if (this.worker !== w || this.current) return
      this.worker = null
      void w.terminate()
    }, this.idleMs)
    this.idleTimer.unref()
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
  }
}
