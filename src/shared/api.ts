// Response shapes of API v1 shared by the server and the UI.

/** One bad row of an imported table: its row number as the sheet shows it, the column, why. */
export interface RowError {
  row: number
  column?: string
  message: string
}

export interface ApiError {
  /** `openConflicts`: with 409 open_conflicts, the count to send back as `confirmOpenConflicts`. */
  error: {
    code: string
    message: string
    fields?: Record<string, string>
    rows?: RowError[]
    openConflicts?: number
  }
}

/** GET /regions: the regency, its kecamatan and their desa/kelurahan. */
export interface RegionsDto {
  regency: { code: string; name: string }
  kecamatan: { code: string; name: string; desa: { code: string; name: string }[] }[]
}

/** GET /users: a person as the admin sees them (never their access code). */
export interface UserDto {
  id: string
  name: string
  phone: string
  role: string
  region: string
  simulated: boolean
  createdAt: string
  revokedAt: string | null
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

/** A TPS's state: postponed and merged TPS leave the count of expected TPS. */
export type TpsStatus = 'active' | 'postponed' | 'merged'

/** One TPS of the registry as the desk stores it (GET /tps adds the contests reported). */
export interface TpsRecord {
  code: string
  desa: string
  number: number
  dpt: number
  dptL: number | null
  dptP: number | null
  location: string | null
  status: TpsStatus
  statusReason: string | null
  mergedInto: string | null
  simulated: boolean
}

/** One region's (or TPS's) line of a recap; src/domain/recap.ts computes it. */
export interface RecapRow {
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
}

/** A recap line at the TPS level. */
export interface RecapTpsRow extends RecapRow {
  status: TpsStatus
  reported: boolean
}

/** A recap line on the wire: a TPS row carries its status and whether it reported. */
export type RecapRowDto = RecapRow & Partial<Pick<RecapTpsRow, 'status' | 'reported'>>

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

// Events (GET /events) are typed by the catalogue in ./events.ts (not re-exported here: the
// reporter form imports this file and carries no event code).

// ---------------------------------------------------------------- field intake (issue 4)

/** Incident categories as stored, and how the UI names them. */
export const INCIDENT_CATEGORIES = ['keamanan', 'logistik', 'cuaca', 'protes', 'lainnya'] as const
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number]
export const INCIDENT_CATEGORY_LABELS: Record<IncidentCategory, string> = {
  keamanan: 'Keamanan',
  logistik: 'Logistik',
  cuaca: 'Cuaca/bencana',
  protes: 'Protes/sengketa',
  lainnya: 'Lainnya',
}
export const INCIDENT_URGENCIES = ['rendah', 'sedang', 'tinggi'] as const
export type IncidentUrgency = (typeof INCIDENT_URGENCIES)[number]
export const INCIDENT_URGENCY_LABELS: Record<IncidentUrgency, string> = {
  rendah: 'Rendah',
  sedang: 'Sedang',
  tinggi: 'Tinggi',
}

export interface RegionRefDto {
  code: string
  name: string
  level: 'kabupaten' | 'kecamatan' | 'desa'
}

/** POST /auth/login: who this access code belongs to. */
export interface SignInDto {
  id: string
  name: string
  role: string
  region: RegionRefDto
  /** The admin-set hours when reporters may use their codes (null ends: open). */
  window: SignInWindowDto
}

export interface SignInWindowDto {
  opensAt: string | null
  closesAt: string | null
  /** Whether reporters may sign in right now. */
  open: boolean
}

/** Per contest, what the desk knows of one TPS: nothing yet, accepted, or held for a second look. */
export type IntakeContestState = 'belum' | 'diterima' | 'perlu_dicek'

export interface IntakeTpsDto {
  code: string
  desa: string
  number: number
  dpt: number
  location: string | null
  status: 'active' | 'postponed' | 'merged'
  statusReason: string | null
  contests: Record<
    string,
    { state: IntakeContestState; reason?: 'conflict' | 'correction' | 'flagged' }
  >
}

/** GET /intake/tps: the TPS a reporter may report for, with the desa they belong to. */
export interface IntakeTpsListDto {
  region: RegionRefDto
  desa: { code: string; name: string; verification: DesaVerificationDto | null }[]
  tps: IntakeTpsDto[]
}

export interface DesaVerificationDto {
  status: 'verified' | 'flagged'
  note: string | null
  at: string
  /** Omitted for display accounts. */
  by?: { id: string; name: string }
  /** The desa's standing numbers changed after the mark (a new TPS, a correction, a decision): it no longer covers them. */
  stale: boolean
}

/** GET /verification: one row per desa of a kecamatan. */
export interface VerificationRowDto {
  desa: string
  name: string
  kecamatan: string
  tpsActive: number
  /** Per contest: TPS with a result, and how many of those need a second look. */
  contests: Record<string, { reported: number; needsCheck: number }>
  verification: DesaVerificationDto | null
  /** Only when the list covers one kecamatan: the desa's TPS with their standing numbers, to check before marking. */
  tps?: VerificationTpsDto[]
}

/** A TPS on the verification list; per contest its standing result, or null while none arrived. */
export interface VerificationTpsDto {
  code: string
  number: number
  status: 'active' | 'postponed' | 'merged'
  contests: Record<
    string,
    { votes: Record<string, number>; valid: number; invalid: number; needsCheck: boolean } | null
  >
}

export interface VerificationListDto {
  kecamatan: { code: string; name: string } | null
  rows: VerificationRowDto[]
}

export interface IncidentDto {
  id: number
  at: string
  region: string
  regionName: string
  tps: string | null
  category: IncidentCategory
  urgency: IncidentUrgency
  text: string
  status: 'open' | 'handled'
  simulated: boolean
  hasPhoto: boolean
  /** Operators and up only (personal data). */
  reporter?: { id: string; name: string; phone: string }
  /** Operators and up only: GET /photos/:file. */
  photo?: string | null
}

export interface PhotoDto {
  file: string
  /** `/api/v1/photos/<file>`: fetch with the Authorization header (e.g. into a blob: URL). */
  url: string
  label: string
  type: string
  bytes: number
  region: string
  tps: string | null
  contest: string | null
  at: string
  by: { id: string; name: string }
}

export interface ImportedUserDto {
  id: string
  name: string
  phone: string
  role: string
  region: string
  regionName: string
  /** Shown once: only its hash is kept. */
  accessCode: string
  /** The 4-character code that starts each result SMS (issue 15); shown once, stored hashed. */
  smsCode: string
}

export interface UserImportAnswer {
  imported: number
  users: ImportedUserDto[]
  errors: RowError[]
}

// ---------------------------------------------------------------- failover (issue 13 item 8)

/**
 * GET /desk/identity: which data folder this desk runs on and what it holds. A desk started on a
 * restored backup has a new `dataFolder`, or holds fewer submissions than before: the sign for phones
 * and consoles to check the receipts they hold (POST /receipts/check) and resend what it lacks.
 */
export interface DeskIdentityDto {
  /** Made once per data folder (a file in it); a backup restored into a new folder gets a new one. */
  dataFolder: string
  /** When this desk process started (ISO). */
  startedAt: string
  holds: {
    /** Rows in the submissions log, and the highest sequence number (its receipts' first part). */
    submissions: number
    lastSeq: number
    /** received_at of the newest submission, null when none. */
    lastAt: string | null
  }
}

/** POST /receipts/check: of the caller's own submissionIds, which this desk knows. */
export interface ReceiptCheckDto {
  dataFolder: string
  /** Results (`receipt` as the desk answered) and incidents (`receipt` "#12", status "created", no contest). */
  known: {
    submissionId: string
    kind: 'result' | 'incident'
    receipt: string
    status: ResultStatus | 'created'
    tps: string | null
    contest: string | null
    at: string
  }[]
  /** Sent to a desk (the caller holds a receipt) that this one has never seen: resend with the same submissionId. */
  unknown: string[]
}

/** GET /intake/tps/:code/standing: the numbers the desk holds per contest, where a correction starts. */
export interface StandingSheetDto {
  tps: string
  contests: Record<
    string,
    {
      votes: Record<string, number>
      invalid: number
      voters: { dpt: number; dptb: number; dpk: number } | null
      receipt: string
      acceptedAt: string
    } | null
  >
}

// ---------------------------------------------------------------- results by SMS (issue 15)

/** What could be read of a refused SMS: the phoned-in entry form opens with it. */
export interface SmsPrefillDto {
  tps?: string
  desa?: string
  contest?: string
  votes?: Record<string, number>
  invalid?: number
}

export interface SmsMessageDto {
  id: number
  direction: 'in' | 'out'
  gateway: 'gammu' | 'android'
  /** 62… */
  phone: string
  at: string
  sentAt: string | null
  /** The text, its SMS code masked. */
  text: string
  /** in: received | counted | conflict | refused | wrong_code | locked | unknown_number; out: sending | sent | failed */
  status: string
  reporter: { id: string; name: string; region: string; regionName: string } | null
  reason?: string
  tps?: string
  parts?: { contest: string; status: string; receipt?: string; error?: string }[]
  prefill?: SmsPrefillDto
  /** Why a reply could not be sent. */
  error?: string
  /** A message not counted that an operator fixed by a phoned-in entry: who, when, its receipt. */
  handled?: {
    at: string
    by: { id: string; name: string }
    receipt?: string
    tps?: string
    contest?: string
  }
  replyTo: number | null
}

export interface SmsUnknownDto {
  phone: string
  count: number
  lastAt: string
  lastText: string
}

export interface SmsOverviewDto {
  gateways: { gammu: boolean; android: boolean }
  messages: SmsMessageDto[]
  unknown: SmsUnknownDto[]
  /** Numbers blocked now for wrong SMS codes (62…), and until when. */
  blocked: { phone: string; until: string }[]
}
