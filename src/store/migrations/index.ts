import { m0010 } from './0010-initial'
import { m0020 } from './0020-results'
import { m0030 } from './0030-events'
import { m0040 } from './0040-intake'
import { m0050 } from './0050-boundaries'
import { m0060 } from './0060-snapshots'
import { m0070 } from './0070-console'
import { m0080 } from './0080-refusals'
import { m0090 } from './0090-review-assignments'
import { m0150 } from './0150-sms'
import { m0160 } from './0160-chase-call-desa'
import type { Migration } from './types'

export type { Migration }

/** In order. A new migration gets the next number and a test of its own; never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [
  m0010,
  m0020,
  m0030,
  m0040,
  m0050,
  m0060,
  m0070,
  m0080,
  m0090,
  m0150,
  m0160,
]
