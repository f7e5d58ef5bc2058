// What the simulator knows about a desk (read from its public API) and what it plans to do to it.

import type { ContestDto } from '../shared/api'
import type { SmsStep } from './sms'

/** GET /api/v1/regions */
export interface RegionsView {
  regency: { code: string; name: string }
  kecamatan: { code: string; name: string; desa: { code: string; name: string }[] }[]
}

/** A TPS as GET /api/v1/tps lists it (the fields the simulator uses). */
export interface SimTps {
  code: string
  desa: string
  number: number
  dpt: number
  status: 'active' | 'postponed' | 'merged'
}

/** A synthetic registry row, written as CSV for POST /tps/import. */
export interface SyntheticTps extends SimTps {
  dptL: number
  dptP: number
  location: string
}

export interface FaultRates {
  /** Share of TPS that never report. */
  neverReport: number
  /** How many TPS an admin marks postponed (a count, not a share). */
  postponed: number
  /** Share of TPS whose results are phoned in and keyed by the operator. */
  phone: number
  /** Share of submissions sent twice (lost answer, same submissionId and body). */
  retry: number
  /** Share of submissions first sent with an error the desk refuses, then corrected. */
  invalid: number
  /** Share of TPS×contest where the kecamatan officer sends different numbers. */
  conflict: number
  /** Share of TPS×contest where the kecamatan officer confirms the same numbers. */
  confirm: number
  /** Share of TPS with an incident report (only if the desk has POST /incidents). */
  incident: number
}

export const DEFAULT_RATES: FaultRates = {
  neverReport: 0.012,
  postponed: 1,
  phone: 0.05,
  retry: 0.04,
  invalid: 0.025,
  conflict: 0.015,
  confirm: 0.02,
  incident: 0.006,
}

export interface SimSettings {
  seed: number | string
  /** Kecamatan codes in scope; all when absent. */
  kecamatan?: string[]
  /** Size of a synthetic registry relative to the real one (1 = real counts). */
  scale?: number
  rates?: Partial<FaultRates>
  /** Mean vote share per contest id, one number per pair in pair order (any scale). */
  shares?: Record<string, number[]>
  /** Mean share of DPT that votes. */
  turnout?: number
}

export type Channel = 'simulasi' | 'telepon'
export type Expect = 'accepted' | 'duplicate' | 'conflict' | 'rejected'

export interface ResultBody {
  submissionId: string
  tps: string
  contest: string
  votes: Record<string, number>
  invalid: number
  voters: { dpt: number; dptb: number; dpk: number; total: number }
  note?: string
  caller?: { name: string; phone: string }
}

export type Fault = 'retry' | 'invalid' | 'corrected' | 'conflict' | 'confirm'

export type Step =
  | {
      kind: 'result'
      /** Simulated seconds after 13:00 WIB. */
      at: number
      account: string
      channel: Channel
      body: ResultBody
      expect: Expect
      fault?: Fault
    }
  | { kind: 'postpone'; at: number; tps: string; reason: string }
  | {
      kind: 'incident'
      at: number
      account: string
      body: { submissionId: string; tps: string; category: string; urgency: string; text: string }
    }
  /** A result by SMS (issue 15, src/sim/sms.ts). */
  | SmsStep

/** Steps for one TPS (or one incident) run in order: a conflict must follow the report it contradicts. */
export interface Chain {
  key: string
  steps: Step[]
}

export interface SimAccount {
  key: string
  name: string
  phone: string
  role: 'reporter' | 'operator'
  region: string
}

export interface ExpectedRow {
  code: string
  name: string
  tpsTotal: number
  tpsReported: number
  tpsExcluded: number
  votes: Record<string, number>
  valid: number
  invalid: number
  total: number
  voters: number
}

export interface ExpectedContest {
  contest: string
  kabupaten: ExpectedRow
  kecamatan: ExpectedRow[]
}

export interface ExpectedProgress {
  contest: string
  expected: number
  reported: number
  kecamatan: { code: string; expected: number; reported: number }[]
}

export interface Expected {
  recap: ExpectedContest[]
  progress: ExpectedProgress[]
}

export interface PlanCounts {
  tps: number
  reportingTps: number
  neverReport: number
  postponed: number
  phone: number
  results: number
  retries: number
  invalid: number
  conflicts: number
  confirmations: number
  incidents: number
  /** Result requests the plan sends, and what the desk should answer. */
  requests: number
  expect: Record<Expect, number>
}

export interface SimPlan {
  seed: string
  regency: { code: string; name: string }
  contests: ContestDto[]
  scope: string[]
  /** Set when the desk had no registry and the simulator made one. */
  syntheticRegistry: SyntheticTps[] | null
  accounts: SimAccount[]
  chains: Chain[]
  counts: PlanCounts
  expected: Expected
}
