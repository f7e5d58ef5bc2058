// A Jember-sized night as recap data, built straight (no desk): Kabupaten Jember's real kecamatan and
// desa, 4,046 TPS with DPT by sex, both contests, postponed and merged TPS, TPS with a differing
// report or a held correction, incidents, and KPU figures per desa. Deterministic.

import { loadRegency } from '../../src/host/regions-source'
import {
  SOURCE_FORMAT,
  type RecapSource,
  type SourceResult,
  type SourceTps,
} from '../../src/export/source'

export function jemberSource(options: { training?: boolean; tpsCount?: number } = {}): RecapSource {
  const tree = loadRegency('35.09')
  let seed = 11
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31)
  const desa = tree.desa
  const total = options.tpsCount ?? 4046
  const perDesa = new Map<string, number>()
  for (let i = 0; i < total; i++)
    perDesa.set(desa[i % desa.length]!.code, (perDesa.get(desa[i % desa.length]!.code) ?? 0) + 1)
  const tps: SourceTps[] = []
  for (const d of desa) {
    const n = perDesa.get(d.code) ?? 0
    for (let k = 1; k <= n; k++) {
      const dpt = 350 + Math.floor(rnd() * 250)
      const dptL = Math.round(dpt * (0.47 + rnd() * 0.05))
      const i = tps.length
      const status = i % 401 === 7 ? 'postponed' : i % 509 === 9 ? 'merged' : 'active'
      tps.push({
        code: `${d.code}.${String(k).padStart(3, '0')}`,
        desa: d.code,
        number: k,
        dpt,
        dptL,
        dptP: dpt - dptL,
        status,
        reason: status === 'active' ? null : 'banjir setinggi lutut',
        mergedInto: status === 'merged' ? `${d.code}.001` : null,
      })
    }
  }
  const contests = [
    {
      id: 'gubernur',
      name: 'Pemilihan Gubernur dan Wakil Gubernur Jawa Timur',
      candidates: [
        { number: 1, name: 'Hj. Luluk Nur Hamidah - H. Lukmanul Khakim' },
        { number: 2, name: 'Khofifah Indar Parawansa - Emil Elestianto Dardak' },
        { number: 3, name: 'Tri Rismaharini - Zahrul Azhar Asumta' },
      ],
      openConflicts: 0,
      disputes: [] as { tps: string; kind: 'conflict' | 'correction' }[],
    },
    {
      id: 'bupati',
      name: 'Pemilihan Bupati dan Wakil Bupati Jember',
      candidates: [
        { number: 1, name: 'H. Hendy Siswanto - KH. M. Balya Firjaun Barlaman' },
        { number: 2, name: 'H. Muhammad Fawait - Djoko Susanto' },
      ],
      openConflicts: 0,
      disputes: [] as { tps: string; kind: 'conflict' | 'correction' }[],
    },
  ]
  const results: Record<string, SourceResult[]> = {}
  for (const c of contests) {
    results[c.id] = tps
      .filter((t) => t.status === 'active' && rnd() > 0.05)
      .map((t) => {
        const votes = c.candidates.map(() => 40 + Math.floor(rnd() * 120))
        const valid = votes.reduce((a, b) => a + b, 0)
        const invalid = Math.floor(rnd() * 9)
        const dptb = Math.floor(rnd() * 3)
        const dpk = Math.floor(rnd() * 2)
        return {
          tps: t.code,
          votes,
          valid,
          invalid,
          total: valid + invalid,
          voters: rnd() < 0.85 ? [valid + invalid - dptb - dpk, dptb, dpk, valid + invalid] : null,
          receivedAt: new Date(
            Date.parse('2024-11-27T06:30:00.000Z') + Math.floor(rnd() * 6 * 3600_000),
          ).toISOString(),
          channel: rnd() < 0.9 ? 'web' : 'telepon',
          review: rnd() < 0.02 ? 'flagged' : 'none',
          reporter: { name: `Pelapor ${t.desa}`, phone: '081234567890' },
          caller: null,
        }
      })
    const reported = results[c.id]!
    for (let i = 3; i < reported.length; i += 397)
      c.disputes.push({ tps: reported[i]!.tps, kind: i % 2 ? 'conflict' : 'correction' })
    c.openConflicts = c.disputes.length
  }
  const kpuFor = (contest: (typeof contests)[number]) => ({
    contest: contest.id,
    importId: contest.id === 'gubernur' ? 1 : 2,
    importedAt: '2024-11-28T03:00:00.000Z',
    source: 'D.Hasil KPU Jember',
    level: 'desa' as const,
    figures: desa.map((d) => {
      const mine = results[contest.id]!.filter((r) => r.tps.startsWith(`${d.code}.`))
      const votes = contest.candidates.map(
        (_, i) => mine.reduce((a, r) => a + r.votes[i]!, 0) + (rnd() < 0.05 ? 25 : 0),
      )
      return {
        region: d.code,
        votes,
        valid: votes.reduce((a, b) => a + b, 0),
        invalid: mine.reduce((a, r) => a + r.invalid, 0),
      }
    }),
  })
  return {
    format: SOURCE_FORMAT,
    generatedAt: '2024-11-27T14:05:09.000Z',
    desk: {
      regency: { code: tree.regency.code, name: tree.regency.name },
      election: { name: 'Pemilihan Serentak 2024', date: '2024-11-27' },
      training: options.training ?? false,
    },
    contests,
    kecamatan: tree.kecamatan.map((k) => ({ code: k.code, name: k.name })),
    desa: desa.map((d) => ({
      code: d.code,
      name: d.name,
      kecamatan: d.parent ?? d.code.slice(0, 8),
    })),
    tps,
    results,
    reporters: desa.map((d) => ({
      region: d.code,
      name: `Pelapor ${d.name}`,
      phone: '081200000000',
    })),
    incidents: Array.from({ length: 40 }, (_, i) => ({
      id: i + 1,
      at: new Date(Date.parse('2024-11-27T01:00:00.000Z') + i * 600_000).toISOString(),
      region: desa[(i * 37) % desa.length]!.code,
      tps: i % 3 === 0 ? tps[(i * 101) % tps.length]!.code : null,
      category: ['keamanan', 'logistik', 'cuaca', 'protes', 'lainnya'][i % 5]!,
      urgency: ['rendah', 'sedang', 'tinggi'][i % 3]!,
      text: `Kotak suara datang terlambat ${i + 1} jam; petugas sudah dihubungi`,
      photo: i % 4 === 0,
      status: i % 2 ? 'open' : 'handled',
      simulated: false,
      reporter: null,
    })),
    kpu: { thresholdPercent: 1, sets: contests.map(kpuFor) },
  }
}
