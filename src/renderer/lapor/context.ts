import { createContext, useContext } from 'react'
import type {
  ConfigDto,
  ContestDto,
  IntakeTpsDto,
  IntakeTpsListDto,
  SignInDto,
} from '../../shared/api'
import type { Outbox, OutboxState, SentItem } from './outbox'
import { contestShortName } from '../../shared/lapor-sheet'

/** Where the reporter is in the form. Each step is a history entry, so the phone's Back button works. */
export type View =
  | { name: 'list' }
  | { name: 'tps'; tps: string }
  | { name: 'sheet'; tps: string; contest: string; correction: boolean }
  | { name: 'review'; tps: string; contest: string; correction: boolean }
  | { name: 'receipt'; id: string; tps?: string }
  | { name: 'incident'; tps?: string }
  | { name: 'verify' }
  | { name: 'outbox' }
  | { name: 'history' }

export interface Lapor {
  config: ConfigDto
  me: SignInDto
  list: IntakeTpsListDto | null
  /** When the list was last fetched from the desk (null: shown from the phone's copy). */
  listAt: number | null
  /** ok; no-signal (the phone says it is offline); no-desk (the phone is online but the desk does not answer). */
  connection: 'ok' | 'no-signal' | 'no-desk'
  outbox: Outbox
  box: OutboxState
  navigate(view: View, replace?: boolean): void
  back(): void
  /** Go back to the latest step of this kind (e.g. from a receipt to its TPS). */
  backTo(name: View['name']): void
  home(): void
  refresh(): Promise<void>
  signOut(): void
}

export const LaporContext = createContext<Lapor | null>(null)

export function useLapor(): Lapor {
  const ctx = useContext(LaporContext)
  if (!ctx) throw new Error('LaporContext missing')
  return ctx
}

export type ContestStatus = 'belum' | 'terkirim' | 'diterima' | 'perlu_dicek'

export const STATUS_LABEL: Record<ContestStatus, string> = {
  belum: 'belum',
  // Still in this phone's outbox: not "sent" yet, whatever the connection line says.
  terkirim: 'menunggu kirim',
  diterima: 'diterima',
  perlu_dicek: 'perlu dicek',
}

/**
 * What the reporter sees per TPS and contest: "menunggu kirim" while the report waits in this phone's
 * outbox, then what the desk says ("diterima", or "perlu dicek" for a conflict, a held correction
 * or a flagged sheet). A report the desk refused for good is also "perlu dicek".
 */
export function contestStatus(
  lapor: Pick<Lapor, 'box'>,
  tps: IntakeTpsDto,
  contest: string,
): { status: ContestStatus; detail: string | null } {
  const queued = lapor.box.waiting.filter(
    (i) => i.kind === 'result' && i.tps === tps.code && i.contest === contest,
  )
  const failed = queued.find((i) => i.state === 'failed')
  if (failed) return { status: 'perlu_dicek', detail: failed.lastError ?? 'Ditolak desk' }
  if (queued.length > 0) return { status: 'terkirim', detail: 'tersimpan di HP ini' }
  const server = tps.contests[contest]
  const sent = lapor.box.sent.find(
    (s) => s.kind === 'result' && s.tps === tps.code && s.contest === contest,
  )
  if ((!server || server.state === 'belum') && sent) {
    return sent.outcome === 'conflict'
      ? { status: 'perlu_dicek', detail: 'menunggu keputusan supervisor' }
      : { status: 'diterima', detail: null }
  }
  if (!server) return { status: 'belum', detail: null }
  if (server.state === 'perlu_dicek') {
    const detail =
      server.reason === 'correction'
        ? 'koreksi menunggu keputusan supervisor'
        : server.reason === 'conflict'
          ? 'ada laporan berbeda, menunggu keputusan'
          : 'angka ditandai untuk diperiksa desk'
    return { status: 'perlu_dicek', detail }
  }
  return { status: server.state, detail: null }
}

/** What the reporter may do for a contest of a TPS: send a first report, or only a correction. */
export function contestStep(
  lapor: Pick<Lapor, 'box'>,
  tps: IntakeTpsDto,
  contest: string,
): { first: boolean; waiting: boolean; failed: boolean } {
  const queued = lapor.box.waiting.filter(
    (i) => i.kind === 'result' && i.tps === tps.code && i.contest === contest,
  )
  const waiting = queued.some((i) => i.state === 'waiting')
  const failed = queued.some((i) => i.state === 'failed')
  const sent = lapor.box.sent.some(
    (s) => s.kind === 'result' && s.tps === tps.code && s.contest === contest,
  )
  const server = tps.contests[contest]?.state ?? 'belum'
  return { first: server === 'belum' && !sent, waiting, failed }
}

/** The newest report of this TPS and contest the desk acknowledged to this phone (its receipt), if any. */
export function latestSent(box: OutboxState, tps: string, contest: string): SentItem | undefined {
  return box.sent.find((s) => s.kind === 'result' && s.tps === tps && s.contest === contest)
}

/** What became of one acknowledged report, in the reporter's words ("Riwayat kirim"). */
export function sentState(s: SentItem): { label: string; tone: 'ok' | 'held' } {
  if (s.kind === 'incident')
    return {
      label: s.outcome === 'duplicate' ? 'sudah diterima sebelumnya' : 'diterima desk',
      tone: 'ok',
    }
  if (s.kind === 'photo')
    return { label: s.outcome === 'attached' ? 'foto dilampirkan' : 'foto diterima', tone: 'ok' }
  if (s.outcome === 'conflict')
    return {
      label: s.correction
        ? 'koreksi menunggu keputusan supervisor'
        : 'berbeda, menunggu keputusan supervisor',
      tone: 'held',
    }
  if (s.outcome === 'duplicate') return { label: 'sama dengan laporan sebelumnya', tone: 'ok' }
  return { label: 'diterima desk', tone: 'ok' }
}

export function contestName(config: ConfigDto, id: string): string {
  const c = config.contests.find((x) => x.id === id)
  return c ? contestShortName(c.name) : id
}

export function contestOf(config: ConfigDto, id: string): ContestDto | undefined {
  return config.contests.find((x) => x.id === id)
}

export function tpsLabel(code: string): string {
  return `TPS ${code.slice(code.lastIndexOf('.') + 1)}`
}

export function desaName(list: IntakeTpsListDto | null, code: string): string {
  return list?.desa.find((d) => d.code === code)?.name ?? code
}
