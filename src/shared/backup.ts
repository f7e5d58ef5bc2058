// The backup indicator's contract (GET /api/v1/backup), used by the console home and by tools.

/**
 * - `off`: the desk runs without --backup-dir.
 * - `pending`: no good backup yet, and the first is not yet overdue.
 * - `ok`: the last good backup is at most two intervals old.
 * - `failing`: the last attempt failed, but the last good one is still recent enough.
 * - `stale`: the last good backup is older than two intervals (or none after two intervals).
 * - `missing`: the backup folder is gone (a USB stick pulled out, a disk unmounted).
 * `stale` and `missing` are red on the console.
 */
export type BackupState = 'off' | 'pending' | 'ok' | 'failing' | 'stale' | 'missing'

export interface BackupFileDto {
  /** File name inside the backup folder, e.g. `desk-2024-11-27T12-42-05-120Z.sqlite`. */
  file: string
  /** When the copy was taken (ISO 8601, UTC). */
  at: string
  bytes: number
}

export interface BackupStatusDto {
  state: BackupState
  /** Red on the console (`stale` or `missing`). */
  alarm: boolean
  dir: string | null
  intervalSeconds: number
  lastGood: (BackupFileDto & { integrity: 'ok'; durationMs: number | null }) | null
  lastError: { at: string; message: string } | null
  /** Backups kept in the folder now (the last 10 plus one per hour). */
  kept: number
  /** Evidence photos in the backup folder. */
  photos: number
  /** When this answer was made (the desk's clock). */
  now: string
}
