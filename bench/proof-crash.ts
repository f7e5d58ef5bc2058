// proof:crash — nothing acknowledged is lost, nothing counted twice, whatever moment the desk dies.
//
// A desk runs in its own process on a fixed loopback port. CLIENTS phones-worth of clients send
// results (each its own TPS, a unique submissionId per report; the first per TPS is accepted,
// later rounds are conflicts held for review) and retry the same body with the same id until
// they hear an answer, as the reporter form's outbox does. Meanwhile the desk is
// killed with SIGKILL at random moments, KILLS times, and restarted on the same data folder.
// Afterwards every acknowledged report must be in the submissions log exactly once with the
// receipt its client heard, no row may be there that no client sent, each TPS and contest has
// one standing result, and `PRAGMA integrity_check` is ok.
// Some acknowledged reports are sent again (an answer lost on the way): the same receipt must
// come back. Prints acknowledged / lost / duplicated / integrity; exits 1 on any loss,
// duplicate, wrong receipt or a failed check. Loopback only; bounded by KILLS and a deadline.
//
//   npm run proof:crash -- [--clients 16] [--kills 32] [--seed 7]
import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Rng } from '../src/sim/prng'

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    kills: { type: 'string', default: '32' },
    seed: { type: 'string', default: '7' },
    'deadline-s': { type: 'string', default: '600' },
  },
})
const CLIENTS = Number(values.clients)
const KILLS = Number(values.kills)
const rng = new Rng(`proof-crash-${values.seed}`)
const random = () => rng.next()
const DEADLINE = Date.now() + Number(values['deadline-s']) * 1000
const TOKEN = 'proof-admin-token-0123456789abcdef'
const root = join(import.meta.dirname, '..')
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

const dir = mkdtempSync(join(tmpdir(), 'desk-proof-crash-'))
let port = 0
let child: ChildProcess | null = null
let starts = 0

/** Starts the desk on the folder and port; resolves when it answers /health. */
async function start(): Promise<void> {
  const c = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src/host/cli.ts'),
      'serve',
      '--data-dir',
      dir,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: root,
      env: { ...process.env, DESK_ADMIN_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let err = ''
  c.stderr!.on('data', (d) => (err += d))
  child = c
  starts++
  for (;;) {
    if (c.exitCode !== null) throw new Error(`desk exited while starting (${c.exitCode}):\n${err}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

function kill(): Promise<void> {
  const c = child!
  return new Promise((resolve) => {
    c.once('exit', () => resolve())
    c.kill('SIGKILL')
  })
}

interface Ack {
  submissionId: string
  tps: string
  contest: string
  receipt: string
  status: number
}

const acks: Ack[] = []
/** Ids sent but answered with something other than an acknowledgement (none expected). */
const unackedSent = new Set<string>()
let sent = 0
let retries = 0
let resent = 0
let wrongReceipts = 0
const unexpected: string[] = []
let stopping = false
let killing = false
let sentDuringKills = 0

/** POSTs until an answer comes (any HTTP answer); network errors and 5xx are retried with the same body. */
async function post(body: unknown): Promise<{ status: number; json: any }> {
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/results`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      })
      const json = await r.json()
      if (r.status < 500) return { status: r.status, json }
    } catch {
      // the desk died under us: try again, same id, same body
    }
    retries++
    await new Promise((r) => setTimeout(r, 20 + random() * 80))
  }
}

async function client(i: number, tpsCodes: string[]): Promise<void> {
  let n = 0
  // Round after round until the killing is over: the first report of a TPS is accepted (201),
  // later ones with other numbers are conflicts held for review (202); all are acknowledged.
  for (let round = 0; ; round++) {
    for (const tps of tpsCodes) {
      for (const contest of ['gubernur', 'bupati']) {
        if (stopping) return
        const votes =
          contest === 'gubernur'
            ? { '1': 50 + ((n + round) % 40), '2': 60, '3': 30 }
            : { '1': 70 + ((n + round) % 30), '2': 55 }
        const body = { submissionId: `proof-${i}-${round}-${n++}`, tps, contest, votes, invalid: 3 }
        sent++
        if (killing) sentDuringKills++
        const { status, json } = await post(body)
        if (status === 201 || status === 200 || status === 202) {
          acks.push({
            submissionId: body.submissionId,
            tps,
            contest,
            receipt: json.receipt,
            status,
          })
          // One in ten: the answer "was lost", the phone sends again and must hear the same receipt.
          if (random() < 0.1) {
            resent++
            const again = await post(body)
            if (again.json.receipt !== json.receipt) wrongReceipts++
          }
        } else {
          unackedSent.add(body.submissionId)
          unexpected.push(`${status} ${JSON.stringify(json).slice(0, 200)}`)
        }
      }
    }
  }
}

async function main() {
  port = await freePort()
  await start()
  // The registry: 17 TPS in every desa of Jember (4,216), split between the clients.
  const regions = (await (await fetch(`http://127.0.0.1:${port}/api/v1/regions`)).json()) as {
    kecamatan: { desa: { code: string }[] }[]
  }
  const codes: string[] = []
  const lines = ['kode_desa,nomor_tps,dpt']
  for (const d of regions.kecamatan.flatMap((k) => k.desa.map((x) => x.code))) {
    for (let t = 1; t <= 17; t++) {
      lines.push(`${d},${t},400`)
      codes.push(`${d}.${String(t).padStart(3, '0')}`)
    }
  }
  const imp = await fetch(`http://127.0.0.1:${port}/api/v1/tps/import`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: lines.join('\n'),
  })
  if (!imp.ok) throw new Error(`TPS import: ${imp.status}`)

  const parts = Array.from({ length: CLIENTS }, (_, i) => codes.filter((_, j) => j % CLIENTS === i))
  const clients = parts.map((p, i) => client(i, p))
  let kills = 0
  const started = Date.now()
  killing = true
  while (kills < KILLS && Date.now() < DEADLINE) {
    await new Promise((r) => setTimeout(r, 150 + random() * 600))
    await kill()
    kills++
    await start()
  }
  killing = false
  // Let the clients finish what they hold after the last restart, then stop them.
  await new Promise((r) => setTimeout(r, 1000))
  stopping = true
  await Promise.all(clients)
  const seconds = (Date.now() - started) / 1000
  child!.kill('SIGTERM')
  await new Promise((r) => child!.once('exit', r))

  const db = new Database(join(dir, 'desk.sqlite'), { readonly: true })
  const integrity = db.pragma('integrity_check', { simple: true }) as string
  const bySubmission = new Map<string, { answer: string; n: number }>()
  for (const row of db
    .prepare("SELECT submission_id AS id, answer FROM submissions WHERE actor = 'admin'")
    .all() as { id: string; answer: string }[]) {
    const seen = bySubmission.get(row.id)
    bySubmission.set(row.id, { answer: row.answer, n: (seen?.n ?? 0) + 1 })
  }
  let lost = 0
  let receiptMismatch = 0
  for (const a of acks) {
    const row = bySubmission.get(a.submissionId)
    if (!row) lost++
    else if ((JSON.parse(row.answer) as { receipt: string }).receipt !== a.receipt)
      receiptMismatch++
  }
  // A report counted twice: a submissions row beyond the first for one submissionId, or a row for
  // an id no client ever sent.
  const sentIds = new Set(acks.map((a) => a.submissionId))
  const duplicated =
    [...bySubmission.values()].reduce((k, r) => k + r.n - 1, 0) +
    [...bySubmission.keys()].filter((id) => !sentIds.has(id) && !unackedSent.has(id)).length
  const perTps = db
    .prepare(
      'SELECT count(*) AS n FROM (SELECT tps, contest FROM results GROUP BY tps, contest HAVING count(*) > 1)',
    )
    .get() as { n: number }
  const results = (db.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n
  db.close()
  rmSync(dir, { recursive: true, force: true })

  console.log(
    `proof:crash — ${CLIENTS} klien, ${kills} kali SIGKILL dalam ${seconds.toFixed(0)} s (${starts} kali desk dinyalakan)`,
  )
  console.log(
    `  dikirim ${sent} (${sentDuringKills} selama SIGKILL berlangsung), diakui ${acks.length} (201: ${acks.filter((a) => a.status === 201).length}, 202 konflik: ${acks.filter((a) => a.status === 202).length}, 200 ulangan: ${acks.filter((a) => a.status === 200).length}), percobaan ulang ${retries}, kirim ulang setelah diakui ${resent}`,
  )
  console.log(
    `  acknowledged ${acks.length} · lost ${lost} · duplicated ${duplicated} · receipt berbeda ${receiptMismatch + wrongReceipts} · results ${results} · integrity ${integrity}`,
  )
  if (unexpected.length)
    console.log(`  jawaban tak terduga: ${unexpected.length}, mis. ${unexpected[0]}`)
  const ok =
    perTps.n === 0 &&
    lost === 0 &&
    duplicated === 0 &&
    receiptMismatch === 0 &&
    wrongReceipts === 0 &&
    integrity === 'ok' &&
    unexpected.length === 0 &&
    kills >= Math.min(KILLS, 30)
  console.log(ok ? 'LULUS' : 'GAGAL')
  process.exit(ok ? 0 : 1)
}

main().catch((e: unknown) => {
  console.error(e)
  child?.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
