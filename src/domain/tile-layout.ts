// Tile maps: every region gets an equal tile, placed on a grid roughly where it lies. Equal tiles
// make a small kecamatan as visible as a large one, which is what a wall board needs: where are
// reports missing, not how big the land is.

export interface TileCell {
  code: string
  row: number
  col: number
}

export interface TileLayout {
  cols: number
  rows: number
  tiles: TileCell[]
  /** Where the placement came from: a curated table, approximate centres, or code order. */
  source: 'table' | 'centres' | 'ordered'
}

export interface CentrePoint {
  code: string
  lon: number
  lat: number
}

/** A grid in code order, wider than tall (screens are 16:9). */
export function orderedLayout(codes: string[], aspect = 16 / 9): TileLayout {
  const sorted = [...codes].sort()
  const n = sorted.length
  if (n === 0) return { cols: 0, rows: 0, tiles: [], source: 'ordered' }
  const cols = Math.max(1, Math.min(n, Math.round(Math.sqrt(n * aspect))))
  const rows = Math.ceil(n / cols)
  return {
    cols,
    rows,
    tiles: sorted.map((code, i) => ({ code, row: Math.floor(i / cols), col: i % cols })),
    source: 'ordered',
  }
}

/**
 * Place points on a grid with some spare cells, minimising the total squared distance between
 * each point's relative position and its cell (an optimal assignment, not a greedy one: greedy
 * placement pushes the last few regions to the far corners). Empty outer rows and columns are
 * trimmed. `slack` is the ratio of cells to points.
 */
export function centresLayout(points: CentrePoint[], slack = 1.25): TileLayout {
  const n = points.length
  if (n === 0) return { cols: 0, rows: 0, tiles: [], source: 'centres' }
  if (n === 1)
    return {
      cols: 1,
      rows: 1,
      tiles: [{ code: points[0]!.code, row: 0, col: 0 }],
      source: 'centres',
    }
  const meanLat = points.reduce((a, p) => a + p.lat, 0) / n
  // Equirectangular: a degree of longitude is shorter away from the equator.
  const xs = points.map((p) => p.lon * Math.cos((meanLat * Math.PI) / 180))
  const ys = points.map((p) => -p.lat)
  const minX = Math.min(...xs)
  const maxX = Math.max(...xs)
  const minY = Math.min(...ys)
  const maxY = Math.max(...ys)
  const width = Math.max(maxX - minX, 1e-9)
  const height = Math.max(maxY - minY, 1e-9)
  const aspect = Math.min(4, Math.max(0.25, width / height))
  const cells = Math.ceil(n * slack)
  let cols = Math.max(1, Math.round(Math.sqrt(cells * aspect)))
  let rows = Math.max(1, Math.ceil(cells / cols))
  if (cols * rows < n) rows = Math.ceil(n / cols)
  if (cols === 1 && rows < n) cols = Math.ceil(n / rows)

  // Cost of point i in cell j: squared distance in the unit square.
  const cost: number[][] = points.map((_, i) => {
    const px = (xs[i]! - minX) / width
    const py = (ys[i]! - minY) / height
    const row: number[] = []
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cx = cols === 1 ? 0.5 : c / (cols - 1)
        const cy = rows === 1 ? 0.5 : r / (rows - 1)
        row.push((px - cx) ** 2 + (py - cy) ** 2)
      }
    }
    return row
  })
  const assignment = assign(cost)
  let tiles = points.map((p, i) => ({
    code: p.code,
    row: Math.floor(assignment[i]! / cols),
    col: assignment[i]! % cols,
  }))
  const minRow = Math.min(...tiles.map((t) => t.row))
  const minCol = Math.min(...tiles.map((t) => t.col))
  tiles = tiles.map((t) => ({ ...t, row: t.row - minRow, col: t.col - minCol }))
  return {
    cols: Math.max(...tiles.map((t) => t.col)) + 1,
    rows: Math.max(...tiles.map((t) => t.row)) + 1,
    tiles: tiles.sort((a, b) => a.code.localeCompare(b.code)),
    source: 'centres',
  }
}

/**
 * Minimum-cost assignment of n rows to m ≥ n columns (Hungarian method, O(n²m)). Returns the
 * column chosen for each row.
 */
export function assign(cost: number[][]): number[] {
  const n = cost.length
  const m = cost[0]?.length ?? 0
  if (m < n) throw new Error('assign: fewer columns than rows')
  const INF = Number.POSITIVE_INFINITY
  // 1-based potentials u (rows), v (columns); p[j] = row matched to column j; way = augmenting path.
  const u = new Array<number>(n + 1).fill(0)
  const v = new Array<number>(m + 1).fill(0)
  const p = new Array<number>(m + 1).fill(0)
  const way = new Array<number>(m + 1).fill(0)
  for (let i = 1; i <= n; i++) {
    p[0] = i
    let j0 = 0
    const minv = new Array<number>(m + 1).fill(INF)
    const used = new Array<boolean>(m + 1).fill(false)
    do {
      used[j0] = true
      const i0 = p[j0]!
      let delta = INF
      let j1 = 0
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!
        if (cur < minv[j]!) {
          minv[j] = cur
          way[j] = j0
        }
        if (minv[j]! < delta) {
          delta = minv[j]!
          j1 = j
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta
          v[j] = v[j]! - delta
        } else {
          minv[j] = minv[j]! - delta
        }
      }
      j0 = j1
    } while (p[j0] !== 0)
    do {
      const j1 = way[j0]!
      p[j0] = p[j1]!
      j0 = j1
    } while (j0 !== 0)
  }
  const result = new Array<number>(n).fill(-1)
  for (let j = 1; j <= m; j++) if (p[j]! > 0) result[p[j]! - 1] = j - 1
  return result
}
