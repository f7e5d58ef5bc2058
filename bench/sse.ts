// bench/sse: how late does a result reach the wall boards? 50 Server-Sent-Event subscribers (as
// many boards and consoles as a desk room has) hold streams open while results arrive at 200 per
// second over HTTP; each event's delivery time is compared with the time the desk wrote it. The
// baseline, measured in the same run against the same desk and subscribers, is one result at a
// time on an idle desk (the bus and stream round-trip alone). Targets 127.0.0.1; stops by itself.
//
//   npx tsx bench/sse.ts [--seconds 10] [--rate 200] [--subscribers 50]
//
// "Written" is the event's `at`, stamped inside the writer's transaction just before the commit
// (and its fsync): the figure therefore includes the commit itself and slightly overstates the
// commit-to-delivery time. Desk and bench share the machine's clock.
import { request, type IncomingMessage } from 'node:http'
import { parseArgs } from 'node:util'
import { benchHeaders, importRegistry, startDeskProcess } from './desk-process'
import { fmt, reportRows } from './report'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    subscribers: { type: 'string', default: '50' },
  },
})
const SECONDS = Number(values.seconds)
const RATE = Number(values.rate)
const SUBSCRIBERS = Number(values.subscribers)
const TARGET_P95_MS = 250
const headers = benchHeaders

/** One board's stream: records, per result event, the delay from its `at` to its arrival here. */
function subscribe(
  url: string,
  token: string,
  onDelay: (id: number, ms: number) => void,
): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/v1/events?token=${encodeURIComponent(token)}`,
      { headers: { accept: 'text/event-stream' } },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) return reject(new Error(`events: HTTP ${res.statusCode}`))
        res.setEncoding('utf8')
        let buffer = ''
        res.on('data', (chunk: string) => {
          const now = Date.now()
          buffer += chunk
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            if (message.startsWith(':')) continue
            if (message.includes('event: ready')) resolve({ close: () => req.destroy() })
            if (!message.includes('event: result.accepted')) continue
            // A regex, not JSON.parse: 10,000 messages a second must not make the bench the bottleneck.
            const at = /"at":"([^"]+)"/.exec(message)
            const id = /^id: (\d+)/m.exec(message)
            if (at && id) onDelay(Number(id[1]), now - Date.parse(at[1]!))
          }
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN

let submitted = 0
function result(url: string, codes: string[]): Promise<number> {
  const i = submitted++
  return fetch(`${url}/api/v1/results`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      submissionId: `bench-sse-${i}`,
      tps: codes[i % codes.length],
      contest: i < codes.length ? 'gubernur' : 'bupati',
      votes: i < codes.length ? { '1': 50, '2': 150, '3': 80 } : { '1': 140, '2': 140 },
      invalid: 4,
    }),
  }).then(async (r) => {
    await r.arrayBuffer()
    if (r.status !== 201) throw new Error(`result: HTTP ${r.status}`)
    return r.status
  })
}

const desk = await startDeskProcess()
try {
  const codes = await importRegistry(desk.url)
  // One display account per board, as in the room (the desk allows 20 streams per account).
  const displays = await Promise.all(
    Array.from(
      { length: SUBSCRIBERS },
      async (_, i) =>
        (
          (await (
            await fetch(`${desk.url}/api/v1/users`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ name: `Bench board ${i + 1}`, role: 'display' }),
            })
          ).json()) as { accessCode: string }
        ).accessCode,
    ),
  )

  let phase: 'baseline' | 'load' = 'baseline'
  const delays = { baseline: [] as number[], load: [] as number[] }
  const received = { baseline: 0, load: 0 }
  const streams = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, (_, i) =>
      subscribe(desk.url, displays[i]!, (_id, ms) => {
        delays[phase].push(ms)
        received[phase]++
      }),
    ),
  )

  // Baseline: one result at a time on an idle desk, every subscriber listening.
  const BASELINE_RESULTS = 40
  for (let i = 0; i < BASELINE_RESULTS; i++) {
    await result(desk.url, codes)
    await new Promise((r) => setTimeout(r, 50))
  }
  await new Promise((r) => setTimeout(r, 300))

  // Load: RATE results per second, paced in 10 ms slots, for SECONDS.
  phase = 'load'
  const total = Math.round(RATE * SECONDS)
  const started = performance.now()
  const pending: Promise<number>[] = []
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE) + 1)
    while (sent < due) {
      pending.push(result(desk.url, codes))
      sent++
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  await Promise.all(pending)
  const elapsed = (performance.now() - started) / 1000
  const deadline = Date.now() + 10_000
  while (received.load < total * SUBSCRIBERS && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50))
  for (const s of streams) s.close()

  const base = [...delays.baseline].sort((a, b) => a - b)
  const load = [...delays.load].sort((a, b) => a - b)
  const f = (n: number) => `${n.toFixed(0)} ms`
  const p95 = pct(load, 0.95)
  console.log(
    `bench/sse — ${SUBSCRIBERS} subscribers, ${RATE} results/s for ${SECONDS} s (${total} results in ${elapsed.toFixed(1)} s), desk on 127.0.0.1`,
  )
  console.log(
    `  baseline, idle desk, 1 result at a time   p50 ${f(pct(base, 0.5))}   p95 ${f(pct(base, 0.95))}   (${received.baseline}/${BASELINE_RESULTS * SUBSCRIBERS} events)`,
  )
  console.log(
    `  under load                                p50 ${f(pct(load, 0.5))}   p95 ${f(p95)}   p99 ${f(pct(load, 0.99))}   max ${f(load.at(-1) ?? NaN)}   (${received.load}/${total * SUBSCRIBERS} events)`,
  )
  console.log(
    `  p95 under load / baseline p95            ${(p95 / Math.max(1, pct(base, 0.95))).toFixed(2)}×`,
  )
  const ok = p95 <= TARGET_P95_MS && received.load === total * SUBSCRIBERS
  console.log(
    `  target: p95 commit→delivery ≤ ${TARGET_P95_MS} ms, no event lost — ${ok ? 'met' : 'NOT MET'}`,
  )
  reportRows([
    {
      bench: 'sse',
      measure: `${SUBSCRIBERS} boards, ${RATE} results/s: commit → delivery p95`,
      value: fmt.ms(p95),
      baseline: `idle desk ${fmt.ms(pct(base, 0.95))}`,
      ratio: fmt.x(p95 / Math.max(1, pct(base, 0.95))),
      target: `≤ ${TARGET_P95_MS} ms, none lost (${received.load}/${total * SUBSCRIBERS})`,
      ok,
    },
  ])
  process.exitCode = ok ? 0 : 1
} finally {
  await desk.stop()
}
