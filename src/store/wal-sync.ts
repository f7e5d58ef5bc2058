import { close, fdatasync, fstat, open, stat, type Stats } from 'node:fs'

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
  private ino = -1
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
    stat(walPath, (statError, st: Stats | undefined) => {
      const path = statError ? this.dbPath : walPath
      const ino = statError || !st ? -2 : st.ino
      this.withFd(path, ino, (openError, fd) => {
        if (openError || fd === null) return finish(openError ?? new Error('no file to sync'))
        fdatasync(fd, (syncError) => finish(syncError))
      })
    })
  }

  /** Closes the file once no sync is running. */
  close(): void {
    this.closing = true
    if (!this.busy) this.closeFd()
  }

  private withFd(
    path: string,
    ino: number,
    then: (error: Error | null, fd: number | null) => void,
  ): void {
    if (this.fd !== null && ino === this.ino) return then(null, this.fd)
    this.closeFd()
    // r+: Windows flushes a file (FlushFileBuffers) only through a handle that may write it.
    open(path, 'r+', (error, fd) => {
      if (error) return then(error, null)
      fstat(fd, (statError, st) => {
        this.fd = fd
        this.ino = ino === -2 || statError ? -2 : st.ino
        then(null, fd)
      })
    })
  }

  private closeFd(): void {
    if (this.fd === null) return
    close(this.fd, () => {})
    this.fd = null
    this.ino = -1
  }
}
