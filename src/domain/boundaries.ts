// Region boundary files (GeoJSON or TopoJSON) matched to Kemendagri codes, for the wall board's
// geographic map. Pure: the caller reads the file and stores the result.

import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson'
import { feature as topoFeature } from 'topojson-client'
import type { Topology } from 'topojson-specification'
import { regionLevel } from './codes'
import type { RegionTree } from './regions'

export type BoundaryLevel = 'kecamatan' | 'desa'

export interface RegionShape {
  code: string
  name: string
  geometry: Polygon | MultiPolygon
}

export interface BoundaryMatch {
  kecamatan: RegionShape[]
  desa: RegionShape[]
  unmatched: { feature: number; value: string; reason: string }[]
  missing: { kecamatan: string[]; desa: string[] }
}

export class BoundaryFileError extends Error {}

/** The features of a GeoJSON FeatureCollection/Feature or of every object of a TopoJSON topology. */
export function readBoundaryFeatures(text: string): Feature[] {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new BoundaryFileError(
      'Berkas batas wilayah bukan JSON yang sah (harus GeoJSON atau TopoJSON)',
    )
  }
  const doc = raw as { type?: unknown }
  if (!doc || typeof doc !== 'object') throw new BoundaryFileError('Berkas batas wilayah kosong')
  if (doc.type === 'FeatureCollection' && Array.isArray((raw as FeatureCollection).features)) {
    return (raw as FeatureCollection).features.filter((f) => f && typeof f === 'object')
  }
  if (doc.type === 'Feature') return [raw as Feature]
  if (doc.type === 'Topology') {
    const topology = raw as Topology
    if (
      !topology.objects ||
      typeof topology.objects !== 'object' ||
      !Array.isArray(topology.arcs)
    ) {
      throw new BoundaryFileError('TopoJSON tidak lengkap: objects atau arcs tidak ada')
    }
    const out: Feature[] = []
    for (const name of Object.keys(topology.objects)) {
      try {
        const f = topoFeature(topology, topology.objects[name]!) as Feature | FeatureCollection
        if (f.type === 'FeatureCollection') out.push(...f.features)
        else out.push(f)
      } catch {
        throw new BoundaryFileError(`TopoJSON: objek "${name}" tidak bisa dibaca`)
      }
    }
    return out
  }
  throw new BoundaryFileError('Berkas harus GeoJSON (FeatureCollection) atau TopoJSON (Topology)')
}

/**
 * A Kemendagri code as files write it: "35.09.01", "35.09.01.2001", or without dots ("350901",
 * "3509012001"), as text or number. Null if it is neither a kecamatan nor a desa code.
 */
export function normaliseRegionCode(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null
  const s = String(value).trim()
  if (regionLevel(s) === 'kecamatan' || regionLevel(s) === 'desa') return s
  if (/^\d{6}$/.test(s)) return `${s.slice(0, 2)}.${s.slice(2, 4)}.${s.slice(4, 6)}`
  if (/^\d{10}$/.test(s)) return `${s.slice(0, 2)}.${s.slice(2, 4)}.${s.slice(4, 6)}.${s.slice(6)}`
  return null
}

/** Which property holds the region code? Every property, with how many of its values name a region here. */
export function inspectProperties(
  features: Feature[],
  regions: RegionTree,
): { name: string; matches: number; sample: string[] }[] {
  const stats = new Map<string, { matches: number; sample: string[] }>()
  for (const f of features) {
    for (const [name, value] of Object.entries(f.properties ?? {})) {
      const s = stats.get(name) ?? { matches: 0, sample: [] }
      const code = normaliseRegionCode(value)
      if (code && regions.contains(code)) s.matches++
      if (s.sample.length < 3 && value !== null && value !== undefined)
        s.sample.push(String(value).slice(0, 60))
      stats.set(name, s)
    }
  }
  return [...stats.entries()]
    .map(([name, s]) => ({ name, ...s }))
    .sort((a, b) => b.matches - a.matches || a.name.localeCompare(b.name))
}

/** Match features to regions by `property`; features of one region are joined into one shape. */
export function matchBoundaries(
  features: Feature[],
  property: string,
  regions: RegionTree,
): BoundaryMatch {
  const unmatched: BoundaryMatch['unmatched'] = []
  const polygons = new Map<string, Position[][][]>()
  features.forEach((f, i) => {
    const raw = f.properties?.[property]
    const value = raw === undefined || raw === null ? '' : String(raw)
    const code = normaliseRegionCode(raw)
    if (!code) {
      unmatched.push({
        feature: i + 1,
        value,
        reason: value ? 'bukan kode kecamatan/desa Kemendagri' : `properti "${property}" kosong`,
      })
      return
    }
    if (!regions.contains(code)) {
      unmatched.push({
        feature: i + 1,
        value,
        reason: `wilayah ${code} tidak ada di ${regions.regency.name}`,
      })
      return
    }
    const parts = polygonsOf(f.geometry)
    if (!parts) {
      unmatched.push({
        feature: i + 1,
        value,
        reason: `geometri ${f.geometry?.type ?? 'kosong'} bukan poligon`,
      })
      return
    }
    polygons.set(code, [...(polygons.get(code) ?? []), ...parts])
  })
  const shapes = (level: BoundaryLevel) =>
    [...polygons.entries()]
      .filter(([code]) => regionLevel(code) === level)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, parts]) => ({
        code,
        name: regions.get(code)!.name,
        geometry: rewindForD3(
          parts.length === 1
            ? { type: 'Polygon', coordinates: parts[0]! }
            : { type: 'MultiPolygon', coordinates: parts },
        ),
      }))
  const kecamatan = shapes('kecamatan')
  const desa = shapes('desa')
  const missingOf = (list: RegionShape[], all: string[]) => {
    if (list.length === 0) return []
    const have = new Set(list.map((s) => s.code))
    return all.filter((c) => !have.has(c))
  }
  return {
    kecamatan,
    desa,
    unmatched,
    missing: {
      kecamatan: missingOf(
        kecamatan,
        regions.kecamatan.map((k) => k.code),
      ),
      desa: missingOf(
        desa,
        regions.desa.map((d) => d.code),
      ),
    },
  }
}

function polygonsOf(g: Geometry | null | undefined): Position[][][] | null {
  if (!g) return null
  if (g.type === 'Polygon') return g.coordinates.length ? [g.coordinates] : null
  if (g.type === 'MultiPolygon') return g.coordinates.length ? g.coordinates : null
  if (g.type === 'GeometryCollection') {
    const all = g.geometries.map(polygonsOf)
    return all.every((p) => p) && all.length ? all.flatMap((p) => p!) : null
  }
  return null
}

/** Twice the signed planar area of a ring (lon, lat): positive when counter-clockwise. */
function ringArea(ring: Position[]): number {
  let s = 0
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i]!
    const [x2, y2] = ring[(i + 1) % n]!
    s += x1! * y2! - x2! * y1!
  }
  return s
}

const round = (ring: Position[]) =>
  ring.map(([x, y]) => [Math.round(x! * 1e5) / 1e5, Math.round(y! * 1e5) / 1e5])

/**
 * d3-geo draws spherical polygons and reads the winding: an exterior ring must run clockwise,
 * a hole counter-clockwise. RFC 7946 GeoJSON says the opposite, and d3 then fills the whole
 * globe except the region. Rewind every ring to d3's order (and round to 5 decimals, ~1 m,
 * which is finer than any boundary file we get and halves the size).
 */
export function rewindForD3<G extends Polygon | MultiPolygon>(g: G): G {
  const fix = (rings: Position[][]) =>
    rings.map((ring, i) => {
      const r = round(ring)
      const a = ringArea(r)
      const wantClockwise = i === 0
      return (wantClockwise && a > 0) || (!wantClockwise && a < 0) ? r.reverse() : r
    })
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: fix(g.coordinates) } as G
  return { type: 'MultiPolygon', coordinates: (g as MultiPolygon).coordinates.map(fix) } as G
}

/** An approximate centre (area-weighted centroid of the exterior rings), for placing tiles. */
export function approximateCentre(g: Polygon | MultiPolygon): { lon: number; lat: number } {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  let ax = 0
  let ay = 0
  let total = 0
  for (const p of polys) {
    const ring = p[0]
    if (!ring || ring.length < 3) continue
    let a = 0
    let cx = 0
    let cy = 0
    for (let i = 0, n = ring.length; i < n; i++) {
      const [x1, y1] = ring[i]!
      const [x2, y2] = ring[(i + 1) % n]!
      const f = x1! * y2! - x2! * y1!
      a += f
      cx += (x1! + x2!) * f
      cy += (y1! + y2!) * f
    }
    if (a === 0) continue
    ax += cx / 3
    ay += cy / 3
    total += a
  }
  if (total === 0) {
    const first = polys[0]?.[0]?.[0] ?? [0, 0]
    return { lon: first[0]!, lat: first[1]! }
  }
  return { lon: ax / total, lat: ay / total }
}
