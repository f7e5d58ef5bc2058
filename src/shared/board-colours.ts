import { leaderOf, pairColour, type AreaTally } from './board'

// Colours of the wall board. Progress uses viridis (perceptually uniform, readable with the
// common colour-vision deficiencies, and still ordered when printed in grey); pairs use the
// Okabe–Ito set from src/shared/board.ts. Text on any fill is black or white, whichever contrasts
// more: for every colour one of the two reaches at least 4.58:1.

const VIRIDIS = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
]

function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '')
  const full = h.length === 3 ? h.replace(/./g, (c) => c + c) : h
  const n = parseInt(full, 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

const toHex = (rgb: number[]) =>
  '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')

/** Colour of a share 0…1 on the viridis ramp. */
export function progressColour(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction)) * (VIRIDIS.length - 1)
  const i = Math.min(VIRIDIS.length - 2, Math.floor(f))
  const a = hexToRgb(VIRIDIS[i]!)
  const b = hexToRgb(VIRIDIS[i + 1]!)
  const t = f - i
  return toHex(a.map((v, k) => v + (b[k]! - v) * t))
}

/** Relative luminance (WCAG 2). */
export function luminance(colour: string): number {
  const [r, g, b] = hexToRgb(colour).map((v) => {
    const c = v / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number]
  return (x + 0.05) / (y + 0.05)
}

/** Black or white text, whichever reads better on `fill`. */
export function textOn(fill: string): string {
  return contrast(fill, '#000000') >= contrast(fill, '#ffffff') ? '#000000' : '#ffffff'
}

/** Fill of a region with no TPS expected or no result yet (distinct from every viridis step). */
export const NO_DATA = '#2b3444'
export const BOARD_BG = '#0b1626'
export const PANEL_BG = '#13223a'
/** Text drawn on the charts' canvas (on PANEL_BG). */
export const CHART_TEXT = '#f1f5f9'
export const CHART_MUTED = '#cbd5e1'

/** Fill of a region: progress on the viridis ramp, or the leading pair's colour. */
export function regionFill(t: AreaTally | undefined, mode: ColourMode): string {
  if (mode === 'leader') {
    const leader = t ? leaderOf(t.votes) : null
    return leader === null ? NO_DATA : pairColour(leader)
  }
  return t && t.expected > 0 ? progressColour(t.reported / t.expected) : NO_DATA
}

export type ColourMode = 'progress' | 'leader'
