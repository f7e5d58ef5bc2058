import { Worker } from 'node:worker_threads'

/** Makes what was committed so far durable, off the desk's thread; calls back once it is. */
export type DurableSync = (done: (error: Error | null) => void) => void

/** How the single writer makes its commits durable (store/writer.ts). */
export interface Durability {
  sync: DurableSync
  /** No more syncs will be asked for: release the file once the running one ends. */
  close(): void
}

// The syncing thread. It keeps the file open and knows it by path and inode (a file replaced under
// the same name is another one); with no WAL it syncs the database file; with neither it says so.
// Plain CommonJS, started with `eval`: nothing to bundle.
const SYNC_WORKER = `
  const { parentPort, workerData } = require('node:worker_threads')
  const fs = require('node:fs')
  const dbPath = workerData.dbPath
  let open = null
  function closeOpen() {
    if (open) { try { fs.closeSync(open.fd) } catch {} open = null }
  }
  function syncNow() {
    let path = dbPath + '-wal'
    let st
    try { st = fs.statSync(path) } catch { path = dbPath; st = fs.statSync(path) }
    if (!open || open.path !== path || open.ino !== st.ino) {
      closeOpen()
      // r+: Windows flushes a file (FlushFileBuffers) only through a handle that may write it.
      open = { path, ino: st.ino, fd: fs.openSync(path, 'r+') }
    }
    fs.fdatasyncSync(open.fd)
    return path
  }
  parentPort.on('message', (m) => {
    if (m.close) { closeOpen(); parentPort.close(); return }
    try {
      const path = syncNow()
      parentPort.postMessage({ id: m.id, path })
    } catch (e) {
      closeOpen()
      parentPort.postMessage({ id: m.id, error: String(e && e.message ? e.message : e), code: e && e.code })
    }
  })
`

/**
 * fdatasync of a WAL database's `-wal` file on a thread of its own. SQLite appends every commit's
 * pages to that file; once it is synced, the commit survives a power cut as with
 * `synchronous = FULL`, which does the same sync — but inside COMMIT, on the thread that also
 * answers every request. Not libuv's thread pool: there a burst of sign-in checks (scrypt) would
 * queue every acknowledgement behind it. If the WAL is gone the database file itself is synced.
 */
export class WalFileSync implements Durability {
  private worker: Worker | null = null
  private waiting = new Map<number, (error: Error | null) => void>()
  private nextId = 1
  private closing = false
  /** The file the last successful sync flushed (tests check it is the WAL). */
  lastSynced: string | null = null

  constructor(private readonly dbPath: string) {}

  readonly sync: DurableSync = (done) => {
    if (this.closing) return done(new Error('WAL sync closed'))
    const id = this.nextId++
    this.waiting.set(id, done)
    this.thread().postMessage({ id })
  }

  /** Ends the thread once the syncs asked for have run (it closes the file first). */
  close(): void {
    this.closing = true
    if (this.waiting.size === 0) this.stop()
  }

  private thread(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(SYNC_WORKER, { eval: true, workerData: { dbPath: this.dbPath } })
    // The desk's own close ends it; it never keeps a process alive by itself.
    worker.unref()
    worker.on('message', (m: { id: number; path?: string; error?: string; code?: string }) => {
      const done = this.waiting.get(m.id)
      this.waiting.delete(m.id)
      if (m.path) this.lastSynced = m.path
      done?.(m.error ? Object.assign(new Error(m.error), { code: m.code }) : null)
      if (this.closing && this.waiting.size === 0) this.stop()
    })
    const fail = (error: Error) => {
      if (this.worker !== worker) return
      this.worker = null
      const pending = [...this.waiting.values()]
      this.waiting.clear()
      for (const done of pending) done(error)
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`WAL sync thread stopped (code ${code})`)))
    this.worker = worker
    return worker
  }

  private stop(): void {
    const worker = this.worker
    if (!worker) return
    this.worker = null
    worker.postMessage({ close: true })
  }
}
