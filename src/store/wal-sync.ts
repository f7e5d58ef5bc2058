import { closeSync, fdatasync, open as openFile, stat, type Stats } from 'node:fs'

/** Makes what was committed so far durable, off the desk's thread; calls back once it is. */
export type DurableSync = (done: (error: Error | null) => void) => void

/** How the single writer makes its commits durable (store/writer.ts). */
export interface Durability {
  sync: DurableSync
  /** No more syncs will be asked for: release the file once the running one ends. */
  close(): void
}

/**
 * fdatasync of a WAL database's `-wal` file in libuv's thread pool. SQLite appends every commit's
 * pages to that file; once it is synced, the commit survives a power cut exactly as with
 * `synchronous = FULL`, which does the same sync — but inside COMMIT, on the thread that also
 * answers every request. The file is opened once and opened again if SQLite ever replaced it (it
 * only does so when the last connection closes); if it is gone, the database file itself is synced.
 */
export class WalFileSync implements Durability {
  private fd: number | null = null
  /** Which file `fd` is: its path and inode (a file replaced under the same name is another one). */
  private open: { path: string; ino: number } | null = null
  private closing = false
  private busy = false

  constructor(private readonly dbPath: string) {}

  readonly sync: DurableSync = (done) => {
    this.busy = true
    const finish = (error: Error | null) => {
      this.busy = false
      if (this.closing) this.closeFd()
      done(error)
    }
    const walPath = `${this.dbPath}-wal`
    stat(walPath, (walError, walStat: Stats | undefined) => {
      if (!walError && walStat) return this.syncFile(walPath, walStat.ino, finish)
      // No WAL (not expected while the desk holds the database open): the database file itself.
      stat(this.dbPath, (dbError, dbStat: Stats | undefined) => {
        if (dbError || !dbStat) return finish(dbError ?? new Error('no file to sync'))
        this.syncFile(this.dbPath, dbStat.ino, finish)
      })
    })
  }

  /** Closes the file once no sync is running. */
  close(): void {
    this.closing = true
    if (!this.busy) this.closeFd()
  }

  private syncFile(path: string, ino: number, finish: (error: Error | null) => void): void {
    if (this.fd !== null && this.open?.path === path && this.open.ino === ino) {
      fdatasync(this.fd, (error) => finish(error))
      return
    }
    this.closeFd()
    // r+: Windows flushes a file (FlushFileBuffers) only through a handle that may write it.
    openFile(path, 'r+', (error, fd) => {
      if (error) return finish(error)
      this.fd = fd
      this.open = { path, ino }
      fdatasync(fd, (syncError) => finish(syncError))
    })
  }

  private closeFd(): void {
    if (this.fd === null) return
    // At once, not in the thread pool: on Windows SQLite deletes the WAL when the database closes
    // right after, and a handle still open would leave the name taken until it is closed.
    closeSync(this.fd)
    this.fd = null
    this.open = null
  }
}
