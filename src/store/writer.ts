import type { Db } from './db'
import type { Durability } from './wal-sync'

interface Job<T> {
  fn: () => T
  resolve: (v: T) => void
  reject: (e: unknown) => void
}

export interface WriterOptions {
  maxBatch?: number
  /**
   * Called once per committed batch, right after commit, with whatever the jobs collected. What it
   * returns is called once the batch is durable (see `durability`), before its callers are answered.
   */
  afterCommit?: () => (() => void) | void
  /** Called when a batch is rolled back, to drop what its jobs collected. */
  afterRollback?: () => void
  /** Called before each job; with `afterJobFailed` lets the caller drop a failed job's side data. */
  beforeJob?: () => void
  afterJobFailed?: () => void
  /**
   * Durability off the desk's thread (a WAL database): each batch commits without waiting for the
   * disk (`synchronous = NORMAL` for that commit), then this syncs the WAL in the thread pool and
   * only then are the batch's callers answered. Batches that commit while a sync runs share the
   * next one. Without it every commit syncs inside COMMIT, on this thread.
   */
  durability?: Durability
  /** A sync failed; `recovered` says whether the checkpoint made the data safe anyway. */
  onDiskError?: (error: Error, recovered: boolean) => void
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

/**
 * The disk refused a sync and the writer could not make the data safe another way: it takes no
 * more writes (and confirms nothing from storage) until the desk is started again.
 */
export class DiskFailedError extends Error {
  constructor(override readonly cause: Error) {
    super(`disk sync failed: ${cause.message}`)
  }
}

/**
 * The single writer. Jobs queued while the event loop is busy are run together in one
 * transaction (group commit): one fsync for the whole batch instead of one per request, and each
 * caller's promise settles only after that commit is durable. Each job runs in its own savepoint,
 * so one bad job is rolled back alone and the rest of the batch still commits. With `durability`
 * the fsync itself runs off this thread (see WriterOptions.durability): the desk goes on answering and
 * building the next batch while the disk works.
 */
export class GroupCommitWriter {
  private queue: Job<unknown>[] = []
  private scheduled = false
  private closed = false
  private readonly maxBatch: number
  // One savepoint per job, by statements prepared once: wrapping each job in its own
  // db.transaction() built a new function per job, which cost more than the job's own inserts.
  private readonly savepoint: { run(): unknown }
  private readonly release: { run(): unknown }
  private readonly rollbackTo: { run(): unknown }
  private readonly normal: { run(): unknown } | null = null
  private readonly full: { run(): unknown } | null = null
  /** Committed batches waiting for the next sync, and whether one is running. */
  private undurable: ((syncError: Error | null) => void)[] = []
  private syncing = false
  /** Jobs committed and waiting for their sync. */
  private unsynced = 0
  /** Set when a failed sync could not be made good: every write is refused from then on. */
  private failed: DiskFailedError | null = null
  batches = 0
  jobs = 0
  /** Syncs run (with `durability`): fewer than batches when batches share one. */
  syncs = 0

  constructor(
    private readonly db: Db,
    private readonly options: WriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512
    this.savepoint = db.prepare('SAVEPOINT desk_job')
    this.release = db.prepare('RELEASE desk_job')
    this.rollbackTo = db.prepare('ROLLBACK TO desk_job')
    if (options.durability) {
      // Only the writer's own commits skip the in-COMMIT sync; any other write on this
      // connection (a migration, the desk's first setup) keeps synchronous = FULL.
      this.normal = db.prepare('PRAGMA synchronous = NORMAL')
      this.full = db.prepare('PRAGMA synchronous = FULL')
    }
  }

  run<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('writer closed'))
    if (this.failed) return Promise.reject(this.failed)
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve, reject } as Job<unknown>)
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Jobs not yet answered: waiting for their commit, or committed and waiting for its sync. */
  get pending(): number {
    return this.queue.length + this.unsynced
  }

  /** The disk failure that stopped the writer, if one did. */
  get diskFailure(): DiskFailedError | null {
    return this.failed
  }

  /** Run everything queued; resolves when the queue is empty and every commit is durable. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled || this.syncing) {
      await new Promise((r) => setImmediate(r))
    }
  }

  /**
   * Resolves once every commit made so far is durable. For an answer given from what is already
   * stored, outside a write (a retry's first answer): a commit may still be waiting for its sync.
   */
  durable(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed)
    if (!this.options.durability || (!this.syncing && this.undurable.length === 0))
      return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.undurable.push((error) => (error ? reject(error) : resolve()))
      if (!this.syncing) this.startSync()
    })
  }

  close(): void {
    this.closed = true
    this.options.durability?.close()
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.queue.splice(0, this.maxBatch)
    if (this.queue.length > 0) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
    if (batch.length === 0) return
    if (this.failed) {
      for (const job of batch) job.reject(this.failed)
      return
    }
    const outcomes: Outcome[] = []
    this.normal?.run()
    try {
      this.db.transaction(() => {
        for (const job of batch) {
          this.options.beforeJob?.()
          // A throwing job rolls back only its own writes (to its savepoint); the batch goes on.
          this.savepoint.run()
          try {
            const value = job.fn()
            this.release.run()
            outcomes.push({ ok: true, value })
          } catch (error) {
            this.rollbackTo.run()
            this.release.run()
            this.options.afterJobFailed?.()
            outcomes.push({ ok: false, error })
          }
        }
      })()
    } catch (error) {
      this.full?.run()
      this.options.afterRollback?.()
      for (const job of batch) job.reject(error)
      return
    }
    this.full?.run()
    this.batches++
    this.jobs += batch.length
    const whenDurable = this.options.afterCommit?.()
    const settle = (syncError: Error | null) => {
      // What the batch announces goes out even if it could not be made safe: it is committed and
      // readable, and the screens must agree with what the desk reads back.
      whenDurable?.()
      batch.forEach((job, i) => {
        const o = outcomes[i]!
        // Committed but not known to be on disk: the caller is not told it was kept.
        if (syncError) job.reject(syncError)
        else if (o.ok) job.resolve(o.value)
        else job.reject(o.error)
      })
    }
    if (!this.options.durability) return settle(null)
    this.unsynced += batch.length
    this.undurable.push((error) => {
      this.unsynced -= batch.length
      settle(error)
    })
    if (!this.syncing) this.startSync()
  }

  /** One sync for every batch committed before it starts; batches committed meanwhile wait for the next. */
  private startSync(): void {
    const waiting = this.undurable
    this.undurable = []
    this.syncing = true
    this.syncs++
    this.options.durability!.sync((error) => {
      this.syncing = false
      const outcome = error ? this.afterFailedSync(error) : null
      for (const settle of waiting) settle(outcome)
      if (this.failed) {
        for (const settle of this.undurable.splice(0)) settle(this.failed)
      } else if (this.undurable.length > 0) this.startSync()
    })
  }

  /**
   * A sync failed. After a failed fsync the kernel may have dropped the pages it could not write
   * and a second fsync can report success without them ("fsyncgate"), so asking again proves
   * nothing. Instead SQLite copies the WAL into the database file and syncs that (a checkpoint
   * under synchronous = FULL, then the WAL is emptied): if that works, everything committed is on
   * disk and the waiting callers are answered; if not, the writer stops taking writes.
   */
  private afterFailedSync(error: Error): DiskFailedError | null {
    let recovered = false
    try {
      this.full?.run()
      const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
      recovered = r?.busy === 0
    } catch {
      recovered = false
    }
    if (!recovered) this.failed = new DiskFailedError(error)
    this.options.onDiskError?.(error, recovered)
    return this.failed
  }
}
