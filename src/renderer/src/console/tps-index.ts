import { useEffect, useState } from 'react'
import type { RegionsDto } from '../../../shared/api'
import { formatTpsNumber } from '../../../shared/format'
import { api } from '../api'
import { DESK_RESET, useConsole } from './common'
import type { TpsEntry, TpsRow } from './tps-entry'

export type { RegionsDto }
export type { TpsEntry, TpsRow }

export interface TpsIndex {
  regions: RegionsDto
  list: TpsEntry[]
  byCode: Map<string, TpsEntry>
  desaName: (code: string) => string
  kecamatanName: (code: string) => string
}

let regionsPromise: Promise<RegionsDto> | null = null
export function loadRegions(): Promise<RegionsDto> {
  regionsPromise ??= api<RegionsDto>('/regions').catch((e: unknown) => {
    regionsPromise = null
    throw e
  })
  return regionsPromise
}

export function buildIndex(regions: RegionsDto, rows: TpsRow[]): TpsIndex {
  const desaNames = new Map<string, string>()
  const kecNames = new Map<string, string>()
  for (const k of regions.kecamatan) {
    kecNames.set(k.code, k.name)
    for (const d of k.desa) desaNames.set(d.code, d.name)
  }
  const list = rows.map((t): TpsEntry => {
    const kecamatan = t.desa.split('.').slice(0, 3).join('.')
    const desaName = desaNames.get(t.desa) ?? t.desa
    const kecamatanName = kecNames.get(kecamatan) ?? kecamatan
    const num = String(t.number)
    return {
      ...t,
      desaName,
      kecamatan,
      kecamatanName,
      hay: `${t.code} ${desaName} ${kecamatanName} tps ${formatTpsNumber(t.number)} #${num}#`.toLowerCase(),
    }
  })
  return {
    regions,
    list,
    byCode: new Map(list.map((t) => [t.code, t])),
    desaName: (c) => desaNames.get(c) ?? c,
    kecamatanName: (c) => kecNames.get(c) ?? c,
  }
}

/**
 * Type-ahead over TPS: every word typed must match. A bare number matches the TPS number
 * ("3" finds TPS 003, not TPS 013); other words match code, desa or kecamatan name.
 */
export function searchTps(index: TpsIndex, query: string, limit = 8): TpsEntry[] {
  const words = query.toLowerCase().trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return []
  const out: { t: TpsEntry; score: number }[] = []
  for (const t of index.list) {
    let score = 0
    let ok = true
    for (const w of words) {
      if (/^\d{1,3}$/.test(w)) {
        if (t.number === Number(w)) score += 3
        else if (!t.hay.includes(w)) {
          ok = false
          break
        }
      } else if (!t.hay.includes(w)) {
        ok = false
        break
      } else if (t.desaName.toLowerCase().startsWith(w)) score += 2
      else if (t.code.startsWith(w)) score += 2
    }
    if (ok) out.push({ t, score })
  }
  out.sort((a, b) => b.score - a.score || a.t.code.localeCompare(b.t.code))
  return out.slice(0, limit).map((x) => x.t)
}

/**
 * The TPS registry with regions, loaded once per screen and kept current from live events:
 * arrivals flip the "reported" marks in place; an import or status change reloads it.
 */
export function useTpsIndex(): { index: TpsIndex | null; error: string | null } {
  const { listen } = useConsole()
  const [index, setIndex] = useState<TpsIndex | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    let stopped = false
    Promise.all([loadRegions(), api<{ tps: TpsRow[] }>('/tps')]).then(
      ([regions, t]) => !stopped && setIndex(buildIndex(regions, t.tps)),
      (e: unknown) => !stopped && setError(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      stopped = true
    }
  }, [generation])

  useEffect(
    () =>
      listen((e) => {
        if (e.type === 'tps.imported' || e.type === 'tps.status' || e.type === DESK_RESET)
          setGeneration((g) => g + 1)
        else if (e.type === 'result.accepted') {
          const d = e.data
          setIndex((idx) => {
            const t = idx?.byCode.get(d.tps)
            if (!idx || !t || t.reported[d.contest]) return idx
            t.reported = { ...t.reported, [d.contest]: true }
            return { ...idx }
          })
        }
      }),
    [listen],
  )
  return { index, error }
}
