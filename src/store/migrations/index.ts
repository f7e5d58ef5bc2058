import { m0010 } from './0010-initial'
import { m0020 } from './0020-results'
import { m0030 } from './0030-events'
import type { Migration } from './types'

export type { Migration }

/** In order. A new migration gets the next number and a test of its own; never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [m0010, m0020, m0030]
