// Removing what a simulator or demo left in a desk (GET/POST /api/v1/admin/purge-simulated).

export interface PurgePreviewDto {
  /** Standing results whose report came from a simulated account. */
  results: number
  /** Conflicts involving a simulated report, removed (those a supervisor already decided stay, as history). */
  conflicts: number
  conflictsKept: number
  /** Real reports held as conflicts against a simulated result: each becomes the standing result. */
  promoted: { tps: string; contest: string }[]
  /** Simulated accounts removed; those a real operator logged calls to are revoked instead (the call log keeps them). */
  accounts: number
  accountsRevoked: number
  /** TPS whose status the simulator changed (e.g. postponed), put back as they were. */
  tpsStatus: { tps: string; from: string; to: string }[]
  incidents: number
  photos: number
  verifications: number
  /** Nothing to remove. */
  empty: boolean
  /** Send this back to confirm: the purge runs only if the desk still holds exactly what was shown. */
  confirm: string
}

export interface PurgeAnswer extends Omit<PurgePreviewDto, 'confirm'> {
  purgedAt: string
}
