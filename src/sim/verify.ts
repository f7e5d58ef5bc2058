// --verify: does the desk's GET /recap and GET /progress say what the simulation expects?

import type { ProgressDto, RecapDto, RecapRowDto } from '../shared/api'
import { formatCount } from '../shared/format'
import { errorMessage, type DeskClient } from './client'
import type { Expected, ExpectedRow } from './types'

export interface VerifyResult {
  ok: boolean
  checked: { contests: number; rows: number }
  differences: string[]
}

const FIELDS: [keyof ExpectedRow & keyof RecapRowDto, string][] = [
  ['tpsTotal', 'TPS terdaftar aktif'],
  ['tpsReported', 'TPS melapor'],
  ['tpsExcluded', 'TPS ditunda/digabung'],
  ['valid', 'suara sah'],
  ['invalid', 'suara tidak sah'],
  ['total', 'sah + tidak sah'],
  ['voters', 'pengguna hak pilih'],
]

export function compareRow(
  where: string,
  got: RecapRowDto | undefined,
  want: ExpectedRow,
): string[] {
  if (!got) return [`${where}: tidak ada di rekap desk`]
  const out: string[] = []
  const diff = (label: string, g: number | undefined, w: number) => {
    if (g !== w)
      out.push(
        `${where} · ${label}: desk ${g === undefined ? '—' : formatCount(g)}, seharusnya ${formatCount(w)}`,
      )
  }
  for (const [field, label] of FIELDS)
    diff(label, got[field] as number | undefined, want[field] as number)
  const keys = new Set([...Object.keys(want.votes), ...Object.keys(got.votes ?? {})])
  for (const k of [...keys].sort()) diff(`suara paslon ${k}`, got.votes?.[k], want.votes[k] ?? 0)
  return out
}

export async function verifyAgainstDesk(
  client: DeskClient,
  token: string,
  expected: Expected,
): Promise<VerifyResult> {
  const differences: string[] = []
  let rows = 0
  for (const want of expected.recap) {
    const answer = await client.request<RecapDto>(
      'GET',
      `/recap?contest=${encodeURIComponent(want.contest)}&level=kecamatan`,
      { token },
    )
    if (answer.status !== 200) {
      differences.push(`${want.contest}: GET /recap gagal: ${errorMessage(answer)}`)
      continue
    }
    const recap = answer.body
    differences.push(
      ...compareRow(`${want.contest} · ${want.kabupaten.name}`, recap.total, want.kabupaten),
    )
    const byCode = new Map(recap.rows.map((r) => [r.code, r]))
    for (const k of want.kecamatan) {
      rows++
      differences.push(
        ...compareRow(`${want.contest} · Kec. ${k.name} (${k.code})`, byCode.get(k.code), k),
      )
      byCode.delete(k.code)
    }
    for (const extra of byCode.values())
      differences.push(
        `${want.contest} · ${extra.name} (${extra.code}): ada di rekap desk, tidak diharapkan`,
      )
  }
  const progress = await client.request<ProgressDto>('GET', '/progress', { token })
  if (progress.status !== 200) {
    differences.push(`GET /progress gagal: ${errorMessage(progress)}`)
  } else {
    for (const want of expected.progress) {
      const got = progress.body.contests.find((c) => c.contest === want.contest)
      if (!got) {
        differences.push(`kemajuan ${want.contest}: tidak ada di desk`)
        continue
      }
      if (got.expected !== want.expected || got.reported !== want.reported) {
        differences.push(
          `kemajuan ${want.contest}: desk ${formatCount(got.reported)}/${formatCount(got.expected)} TPS, seharusnya ${formatCount(want.reported)}/${formatCount(want.expected)}`,
        )
      }
      const kec = new Map(got.kecamatan.map((k) => [k.code, k]))
      for (const k of want.kecamatan) {
        const g = kec.get(k.code)
        if (!g || g.expected !== k.expected || g.reported !== k.reported) {
          differences.push(
            `kemajuan ${want.contest} · ${k.code}: desk ${g ? `${formatCount(g.reported)}/${formatCount(g.expected)}` : '—'} TPS, seharusnya ${formatCount(k.reported)}/${formatCount(k.expected)}`,
          )
        }
      }
    }
  }
  return {
    ok: differences.length === 0,
    checked: { contests: expected.recap.length, rows },
    differences,
  }
}
