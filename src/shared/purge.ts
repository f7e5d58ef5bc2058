// Removing what a simulator or demo left in a desk (GET/POST /api/v1/admin/purge-simulated).

import { formatCount as n } from './format'

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

/** A TPS status as the console shows it in Indonesian. */
const STATUS_ID: Record<string, string> = {
  active: 'aktif',
  postponed: 'ditunda',
  merged: 'digabung',
}
const statusLabel = (s: string) => STATUS_ID[s] ?? s

/** What a purge will remove, one line per kind, for the CLI and the console (Indonesian / English). */
export function purgeLines(
  p: Omit<PurgePreviewDto, 'confirm'>,
  lang: 'id' | 'en' = 'id',
): string[] {
  const id = lang === 'id'
  const lines: string[] = []
  if (p.results)
    lines.push(
      id
        ? `${n(p.results)} hasil TPS dari akun simulasi`
        : `${n(p.results)} TPS results from simulated accounts`,
    )
  if (p.conflicts)
    lines.push(
      id
        ? `${n(p.conflicts)} konflik yang melibatkan laporan simulasi`
        : `${n(p.conflicts)} conflicts involving simulated reports`,
    )
  if (p.promoted.length) {
    lines.push(
      id
        ? `${n(p.promoted.length)} laporan sungguhan yang tertahan di balik hasil simulasi menjadi hasil TPS-nya`
        : `${n(p.promoted.length)} real reports held behind a simulated result become their TPS's result`,
    )
  }
  if (p.accounts)
    lines.push(id ? `${n(p.accounts)} akun simulasi` : `${n(p.accounts)} simulated accounts`)
  if (p.accountsRevoked) {
    lines.push(
      id
        ? `${n(p.accountsRevoked)} akun simulasi yang pernah ditelepon operator dicabut (catatan telepon tetap)`
        : `${n(p.accountsRevoked)} simulated accounts an operator called are revoked (the call log stays)`,
    )
  }
  for (const t of p.tpsStatus) {
    lines.push(
      id
        ? `TPS ${t.tps}: status ${statusLabel(t.from)} dikembalikan ke ${statusLabel(t.to)}`
        : `TPS ${t.tps}: status ${t.from} put back to ${t.to}`,
    )
  }
  if (p.incidents)
    lines.push(
      id
        ? `${n(p.incidents)} laporan kejadian simulasi`
        : `${n(p.incidents)} simulated incident reports`,
    )
  if (p.photos) lines.push(id ? `${n(p.photos)} foto simulasi` : `${n(p.photos)} simulated photos`)
  if (p.verifications)
    lines.push(
      id
        ? `${n(p.verifications)} pemeriksaan desa oleh akun simulasi`
        : `${n(p.verifications)} desa checks by simulated accounts`,
    )
  if (p.conflictsKept) {
    lines.push(
      id
        ? `${n(p.conflictsKept)} konflik yang sudah diputuskan supervisor tetap ada sebagai riwayat`
        : `${n(p.conflictsKept)} conflicts a supervisor already decided stay as history`,
    )
  }
  return lines
}
