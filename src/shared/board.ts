// Shapes of the wall board's and the public page's API, shared by the server and the UI.

import type { CandidateDto } from './api'
import type { StreamEvent } from './events'

/** Reported/expected TPS and votes per candidate number in one area (kabupaten, kecamatan, desa). */
export interface AreaTally {
  expected: number
  reported: number
  votes: Record<string, number>
}

export interface BoardContestDto {
  id: string
  name: string
  candidates: CandidateDto[]
  total: AreaTally
  /** Every kecamatan and desa of the regency by code, zeros where nothing is expected yet. */
  areas: Record<string, AreaTally>
}

export interface BoardAreaDto {
  code: string
  name: string
  level: 'kecamatan' | 'desa'
  parent: string
}

export interface TickerItem {
  id: number
  at: string
  type: string
  /** A line fit for a wall: what happened and where; never who reported it. */
  text: string
  tone: 'result' | 'conflict' | 'incident'
}

export interface ArrivalsDto {
  /** Start of the first bucket (13:00 WIB of the election day, or earlier if results came earlier). */
  start: string
  bucketMinutes: number
  /** Accepted results per bucket, per contest id. */
  counts: Record<string, number[]>
}

export interface BoardSummaryDto {
  asOf: string
  /** Events up to this id are included: a board applies only later ones on top. */
  lastEventId: number
  election: { name: string; date: string }
  regency: { code: string; name: string }
  training: boolean
  conflictsWaiting: number
  areas: BoardAreaDto[]
  contests: BoardContestDto[]
  arrivals: ArrivalsDto
  recent: TickerItem[]
}

export interface TileCellDto {
  code: string
  row: number
  col: number
}

export interface TileLayoutDto {
  cols: number
  rows: number
  tiles: TileCellDto[]
  source: 'table' | 'centres' | 'ordered'
}

export interface BoardLayoutDto {
  /** Kecamatan tiles of the regency. */
  regency: TileLayoutDto
  /** Desa tiles per kecamatan code. */
  kecamatan: Record<string, TileLayoutDto>
  boundaries: BoundaryInfoDto[]
}

export interface BoundaryInfoDto {
  level: 'kecamatan' | 'desa'
  features: number
  codeProperty: string
  source: string
  importedAt: string
}

export interface BoundaryImportDto {
  property: string
  imported: { kecamatan: number; desa: number }
  /** Features whose code property did not name a kecamatan or desa of this regency. */
  unmatched: { feature: number; value: string; reason: string }[]
  /** Regions of an imported level that got no shape. */
  missing: { kecamatan: string[]; desa: string[] }
}

export interface BoundaryPropertyDto {
  name: string
  /** How many features carry a value of this property that names a region of this regency. */
  matches: number
  sample: string[]
}

export interface BoundaryInspectDto {
  features: number
  properties: BoundaryPropertyDto[]
  /** The property with the most matches, if any matched. */
  suggested: string | null
}

export interface PublicAreaDto {
  code: string
  name: string
  expected: number
  reported: number
  votes: Record<string, number>
}

export interface PublicContestDto {
  id: string
  name: string
  candidates: CandidateDto[]
  total: PublicAreaDto
  kecamatan: PublicAreaDto[]
}

export interface PublicSummaryDto {
  asOf: string
  election: { name: string; date: string }
  regency: { code: string; name: string }
  training: boolean
  disclaimer: string
  contests: PublicContestDto[]
}

/** Okabe–Ito colours by pair number: distinguishable with the common colour-vision deficiencies. */
export const PAIR_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
]
/** The empty column (kolom kosong, number 0) and "no result yet". */
export const EMPTY_COLUMN_COLOUR = '#8C8C8C'

export function pairColour(number: number): string {
  if (number <= 0) return EMPTY_COLUMN_COLOUR
  return PAIR_COLOURS[(number - 1) % PAIR_COLOURS.length]!
}

/** The candidate number with the most votes, or null when nothing counted yet or a tie at the top. */
export function leaderOf(votes: Record<string, number>): number | null {
  let best: number | null = null
  let bestVotes = 0
  let tie = false
  for (const [k, v] of Object.entries(votes)) {
    if (v > bestVotes) {
      best = Number(k)
      bestVotes = v
      tie = false
    } else if (v === bestVotes && v > 0) {
      tie = true
    }
  }
  return tie ? null : best
}

/** "Pemilihan Bupati dan Wakil Bupati Jember 2024" → "Bupati": the word a wall has room for. */
export function contestShortName(name: string): string {
  const m = /^Pemilihan\s+(.+?)(\s+dan\s+|\s+\d{4}$|$)/i.exec(name.trim())
  const s = (m ? m[1]! : name).trim()
  return s.length > 24 ? s.slice(0, 23) + '…' : s
}

/** The first person's name without titles: enough to tell pairs apart in a legend. */
export function pairShortName(name: string): string {
  const first = name.split(/\s+[-–—/&]\s+/)[0] ?? name
  const words = first
    .split(/\s+/)
    .filter((w) => !/\.$/.test(w) && !/^(KH|Hj|H|Dr|Ir|Prof|Drs|Gus)$/i.test(w))
  return words.slice(0, 2).join(' ') || first
}

/**
 * The leading pair on a map tile, where about ten characters fit: its ballot number and the head
 * candidate's first name ("2 · Khofifah"); the empty column by name.
 */
export function pairTileLabel(c: { number: number; name: string }): string {
  if (c.number === 0) return 'Kolom kosong'
  const first = pairShortName(c.name).split(/\s+/)[0] ?? ''
  return first ? `${c.number} · ${first}` : String(c.number)
}

export const DISCLAIMER = 'DATA CEPAT — BUKAN DATA RESMI'
export const DISCLAIMER_LONG =
  'Data cepat dari laporan lapangan, bukan data resmi. Hasil resmi ditetapkan oleh KPU.'

export interface TickerLookup {
  regionName: (code: string) => string | undefined
  contestName: (id: string) => string | undefined
}

/** "TPS 003 Padomasan, Jombang" from a TPS code, or the desa/kecamatan name for a region code. */
export function placeOf(code: string | undefined, lookup: TickerLookup): string {
  if (!code) return ''
  const parts = code.split('.')
  if (parts.length === 5) {
    const desa = parts.slice(0, 4).join('.')
    const kec = parts.slice(0, 3).join('.')
    return `TPS ${parts[4]} ${lookup.regionName(desa) ?? desa}, ${lookup.regionName(kec) ?? kec}`
  }
  if (parts.length === 4) {
    const kec = parts.slice(0, 3).join('.')
    return `${lookup.regionName(code) ?? code}, ${lookup.regionName(kec) ?? kec}`
  }
  return lookup.regionName(code) ?? code
}

/**
 * One ticker line for an event, or null for events the ticker does not show. Built only from
 * place, contest and kind: never a reporter's name, phone or free text (the board is projected
 * in a room with visitors).
 */
export function tickerItem(e: StreamEvent, lookup: TickerLookup): TickerItem | null {
  const contestLabel = (contest: string) => contestShortName(lookup.contestName(contest) ?? contest)
  if (e.type === 'result.accepted') {
    const d = e.data
    // Results by SMS (issue 15) arrive like any result; the channel is said, never the sender.
    const via = d.channel === 'sms' ? ' · lewat SMS' : ''
    return {
      id: e.id,
      at: e.at,
      type: e.type,
      tone: 'result',
      text: `${placeOf(d.tps, lookup)} · ${contestLabel(d.contest)}${via}`,
    }
  }
  if (e.type === 'result.conflict') {
    const d = e.data
    const what =
      d.kind === 'correction' ? 'koreksi menunggu keputusan' : 'laporan berbeda, menunggu keputusan'
    return {
      id: e.id,
      at: e.at,
      type: e.type,
      tone: 'conflict',
      text: `${placeOf(d.tps, lookup)} · ${contestLabel(d.contest)}: ${what}`,
    }
  }
  if (e.type === 'incident.created') {
    const d = e.data
    const where = placeOf(d.tps ?? d.region, lookup)
    return {
      id: e.id,
      at: e.at,
      type: e.type,
      tone: 'incident',
      text: `Kejadian ${d.category}${d.urgency ? ` (urgensi ${d.urgency})` : ''}${where ? ` · ${where}` : ''}`,
    }
  }
  return null
}
