// bench/intake: result submissions per second through the real HTTP path into the durable store,
// with group commit versus one commit (one fsync) per submission, and a bare JSON endpoint of the
// same server as the ceiling. All three are measured in the same run, so the ratios hold on a
// noisy machine. Targets 127.0.0.1 only; stops by itself.
//
//   npx tsx bench/intake.ts [--seconds 5] [--clients 64]
import { parseArgs } from 'node:util'
import { benchHeaders as headers, importRegistry, startDeskProcess } from './desk-process'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, clients: { type: 'string', default: '64' } } })
const SECONDS = Number(values.seconds)
const CLIENTS = Number(values.clients)

/** `CLIENTS` loops for `SECONDS`; returns requests per second and the p95 latency. */
async function load(make: (i: number) => Promise<Response>): Promise<{ rps: number; p95: number }> {
  const end = Date.now() + SECONDS * 1000
  let next = 0
  const lat: number[] = []
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const t = performance.now()
        const res = await make(next++)
        await res.arrayBuffer()
        if (res.status >= 400) throw new Error(`HTTP ${res.status}`)
        lat.push(performance.now() - t)
      }
    }),
  )
  lat.sort((a, b) => a - b)
  return { rps: lat.length / SECONDS, p95: lat[Math.floor(lat.length * 0.95)] ?? 0 }
}

async function results(url: string, codes: string[]) {
  return load((i) =>
    fetch(`${url}/api/v1/results`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        submissionId: `bench-result-${i}`,
        tps: codes[i % codes.length],
        contest: i < codes.length ? 'gubernur' : 'bupati',
        votes: i < codes.length ? { '1': 50, '2': 150, '3': 80 } : { '1': 140, '2': 140 },
        invalid: 4,
      }),
    }),
  )
}

const grouped = await startDeskProcess()
const codes = await importRegistry(grouped.url)
const health = await load(() => fetch(`${grouped.url}/api/v1/health`))
const withGroup = await results(grouped.url, codes)
await grouped.stop()

const single = await startDeskProcess({ DESK_WRITER_MAX_BATCH: '1' })
await importRegistry(single.url)
const perRequest = await results(single.url, codes)
await single.stop()

const f = (n: number) => n.toFixed(0)
console.log(`bench/intake — ${CLIENTS} clients, ${SECONDS} s each, 127.0.0.1`)
console.log(`  GET /health (ceiling)          ${f(health.rps)} req/s   p95 ${health.p95.toFixed(1)} ms`)
console.log(`  POST /results, group commit    ${f(withGroup.rps)} req/s   p95 ${withGroup.p95.toFixed(1)} ms   ${(withGroup.rps / health.rps).toFixed(2)}× ceiling`)
console.log(`  POST /results, commit each     ${f(perRequest.rps)} req/s   p95 ${perRequest.p95.toFixed(1)} ms   ${(perRequest.rps / health.rps).toFixed(2)}× ceiling`)
console.log(`  group commit / commit each     ${(withGroup.rps / perRequest.rps).toFixed(2)}×`)
