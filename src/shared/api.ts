// Response shapes of API v1 shared by the server and the UI.

export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string>; rows?: { row: number; column?: string; message: string }[] }
}

export interface CandidateDto {
  number: number
  name: string
}

export interface ContestDto {
  id: string
  name: string
  candidates: CandidateDto[]
}

export interface ConfigDto {
  election: { name: string; date: string; timezone: 'Asia/Jakarta' }
  regency: { code: string; name: string }
  contests: ContestDto[]
  locked: boolean
  training: boolean
}

export interface ProgressArea {
  code: string
  name: string
  expected: number
  reported: number
  percent: number
}

export interface ContestProgress extends ProgressArea {
  contest: string
  kecamatan: ProgressArea[]
}

export interface ProgressDto {
  asOf: string
  lastEventId: number
  contests: ContestProgress[]
}

export interface RecapRowDto {
  code: string
  name: string
  tpsTotal: number
  tpsReported: number
  tpsExcluded: number
  dpt: number
  voters: number
  votes: Record<string, number>
  valid: number
  invalid: number
  total: number
  status?: string
  reported?: boolean
}

export interface RecapDto {
  contest: string
  level: string
  parent: string | null
  asOf: string
  candidates: CandidateDto[]
  rows: RecapRowDto[]
  total: RecapRowDto
}

export type ResultStatus = 'accepted' | 'duplicate' | 'conflict'

export interface ResultAnswer {
  status: ResultStatus
  receipt: string
  tps: string
  contest: string
  warnings: { field: string; code: string; message: string }[]
  conflictId?: number
  /** On a replayed submissionId: what the first answer was. */
  replayOf?: ResultStatus
}

export interface DeskEvent<T = unknown> {
  id: number
  type: string
  at: string
  data: T
}
