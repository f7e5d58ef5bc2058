import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { ElectionConfig } from '../domain/election'
import type { RegionTree } from '../domain/regions'
import { contestSchema } from '../shared/schemas'
import jember2024 from '../../resources/election/pilkada-2024-jember.json'

const electionFileSchema = z.object({
  name: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  regency: z.string(),
  contests: z.array(contestSchema).min(1),
})

export function parseElectionFile(text: string, source: string): ElectionConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new Error(`${source}: bukan JSON yang sah`)
  }
  const r = electionFileSchema.safeParse(raw)
  if (!r.success)
    throw new Error(
      `${source}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  return r.data
}

/**
 * The election a new desk starts with. Jember has its 2024 Pilkada in resources/. Any other
 * regency starts with its own regent/mayor contest and numbered pairs whose names the admin
 * enters (PUT /api/v1/config) before the first result arrives; `--election FILE` sets it at once.
 */
export function defaultElection(regions: RegionTree, file?: string): ElectionConfig {
  if (file) {
    const config = parseElectionFile(readFileSync(file, 'utf8'), file)
    if (config.regency !== regions.regency.code) {
      throw new Error(`${file} untuk wilayah ${config.regency}, bukan ${regions.regency.code}`)
    }
    return config
  }
  if (regions.regency.code === jember2024.regency)
    return parseElectionFile(JSON.stringify(jember2024), 'resources')
  const isCity = regions.regency.name.startsWith('Kota')
  return {
    name: 'Pemilihan Serentak',
    date: new Date().toISOString().slice(0, 10),
    regency: regions.regency.code,
    contests: [
      {
        id: isCity ? 'walikota' : 'bupati',
        name: `Pemilihan ${isCity ? 'Wali Kota dan Wakil Wali Kota' : 'Bupati dan Wakil Bupati'} ${regions.regency.name.replace(/^(Kabupaten|Kota) /, '')}`,
        candidates: [
          { number: 1, name: 'Paslon 1' },
          { number: 2, name: 'Paslon 2' },
        ],
      },
    ],
  }
}
