import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The boundaries shipped in `resources/boundaries/<regency>/` (Jember today), read only when a
 * board first asks for its map. Built, this module runs from out/main/ or out/main/chunks/ (and
 * inside Electron's app.asar); from the sources it is src/host/: look upwards for resources/.
 */
export function bundledBoundaries(regencyCode: string): (() => string | null) | undefined {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'resources', 'boundaries', regencyCode, 'kecamatan-desa.topojson')
    if (existsSync(file)) return () => readFileSync(file, 'utf8')
    dir = dirname(dir)
  }
  return undefined
}
