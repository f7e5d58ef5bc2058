import type { Durability } from '../../src/store/wal-sync'

/**
 * A disk whose syncs finish only when the test says so: batches stay committed but not durable for
 * as long as the test needs. Passed as `createDesk({ durability })` or to a `GroupCommitWriter`.
 * `new HeldDurability(true)` holds from the first sync on; otherwise `hold()` starts holding.
 * It syncs nothing itself: these tests are about the order of answers and events, not power cuts.
 */
export class HeldDurability implements Durability {
  private readonly waiting: ((error: Error | null) => void)[] = []

  constructor(private held = false) {}

  /** Syncs asked for and not finished yet. */
  get pending(): number {
    return this.waiting.length
  }

  readonly sync = (done: (error: Error | null) => void): void => {
    if (this.held) this.waiting.push(done)
    else setImmediate(() => done(null))
  }

  hold(): void {
    this.held = true
  }

  /** Finishes the syncs held so far — with `error`, as a failed fdatasync — and holds later ones. */
  finish(error?: Error): void {
    for (const done of this.waiting.splice(0)) done(error ?? null)
  }

  /** Finishes the syncs held so far, and every later one at once. */
  release(): void {
    this.held = false
    this.finish()
  }

  close(): void {}
}
