import type { Db } from './db'

interface Job<T> {
  fn: () => T
  resolve: (v: T) => void
  reject: (e: unknown) => void
}

export interface WriterOptions {
  maxBatch?: number
  /** Called once per committed batch, after commit, with whatever the jobs collected. */
  afterCommit?: () => void
  /** Called when a batch is rolled back, to drop what its jobs collected. */
  afterRollback?: () => void
  /** Called before each job; with `afterJobFailed` lets the caller drop a failed job's side data. */
  beforeJob?: () => void
  afterJobFailed?: () => void
}

/**
 * The single writer. Jobs queued while the event loop is busy are run together in one
 * transaction (group commit): one fsync for the whole batch instead of one per request, and each
 * caller's promise settles only after that commit is durable. Each job runs in its own savepoint,
 * so one bad job is rolled back alone and the rest of the batch still commits.
 */
export class GroupCommitWriter {
  private queue: Job<unknown>[] = []
  private scheduled = false
  private closed = false
  private readonly maxBatch: number
  batches = 0
  jobs = 0

  constructor(
    private readonly db: Db,
    private readonly options: WriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512
  }

  run<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('writer closed'))
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve, reject } as Job<unknown>)
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Jobs waiting for the next commit. */
  get pending(): number {
    return this.queue.length
  }

  /** Run everything queued; resolves when the queue is empty. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled) {
      await new Promise((r) => setImmediate(r))
    }
  }

  close(): void {
    this.closed = true
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.queue.splice(0, this.maxBatch)
    if (this.queue.length > 0) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
    if (batch.length === 0) return
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = []
    try {
      this.db.transaction(() => {
        for (const job of batch) {
          this.options.beforeJob?.()
          try {
            // Nested transaction = SAVEPOINT: a throwing job rolls back only its own writes.
            outcomes.push({ ok: true, value: this.db.transaction(job.fn)() })
          } catch (error) {
            this.options.afterJobFailed?.()
            outcomes.push({ ok: false, error })
          }
        }
      })()
    } catch (error) {
      this.options.afterRollback?.()
      for (const job of batch) job.reject(error)
      return
    }
    this.batches++
    this.jobs += batch.length
    this.options.afterCommit?.()
    batch.forEach((job, i) => {
      const o = outcomes[i]!
      if (o.ok) job.resolve(o.value)
      else job.reject(o.error)
    })
  }
}
