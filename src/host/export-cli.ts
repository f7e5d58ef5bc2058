// The `export` and `import-kpu` verbs of the desk CLI (src/host/cli.ts hands them their arguments).
// Each works on a stopped desk's data dir (--data-dir) or against a running desk (--url).

import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { readTable } from '../server/tables'
import { rememberedSettings } from '../store/remembered'
import { DeskError } from '../service/errors'
import { OpenConflictsError, type ExportService } from '../service/export-service'
import { createExport } from '../server/export-routes'
import type { Principal } from '../service/principal'
import type { RowError } from '../shared/api'
import { exportProfileSchema } from '../shared/export'
import { formatCount } from '../shared/format'
import { openDesk } from './desk'
import { DEFAULT_REGENCY } from './regions-source'

export const EXPORT_VERBS = ['export', 'import-kpu'] as const

export const EXPORT_HELP = `  export       Menulis rekap berjenjang (Excel) ke berkas
               --out FILE       berkas .xlsx tujuan (wajib)
               --profile P      berjenjang (bawaan; untuk provinsi/Kemendagri, hanya data terstruktur: tanpa nama, HP dan teks ketikan) atau lengkap
               --freeze         bekukan rekap dulu (snapshot tetap), lalu tulis berkas snapshot itu
               --confirm-open-conflicts
                                tetap bekukan walau ada laporan berbeda yang menunggu keputusan: sebanyak
                                yang dicetak (bila bertambah sebelum dibekukan, desk menolak lagi; tanpa
                                ini desk bertanya dulu, atau menolak bila tidak ada terminal)
               --label TEKS     label snapshot, mis. "Kirim ke provinsi 21.00"
               --snapshot N     tulis berkas snapshot N yang sudah ada (sama persis byte demi byte)
               --threshold P    ambang selisih KPU dalam persen (bawaan 1)
               --data-dir DIR   langsung dari folder data (desk harus berhenti); wilayah dan mode
                                latihan dibaca dari folder itu, tanpa --regency/--training, atau
               --url URL        dari desk yang sedang berjalan (token: DESK_ADMIN_TOKEN atau --token)

  import-kpu FILE   Mengimpor angka KPU (CSV/XLSX per TPS, desa atau kecamatan; lihat docs/OPERATIONS.md)
               --contest ID     pemilihan (wajib bila berkas tanpa kolom pemilihan, dan untuk susunan D.Hasil)
               --source TEKS    nama sumber, mis. "Sirekap 21.00" (bawaan: nama berkas)
               --data-dir DIR | --url URL [--token T]
`

const options = {
  out: { type: 'string' },
  profile: { type: 'string' },
  freeze: { type: 'boolean' },
  'confirm-open-conflicts': { type: 'boolean' },
  label: { type: 'string' },
  snapshot: { type: 'string' },
  threshold: { type: 'string' },
  contest: { type: 'string' },
  source: { type: 'string' },
  'data-dir': { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  regency: { type: 'string' },
  training: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>['values']

const CLI: Principal = { id: 'cli', name: 'CLI', role: 'admin', region: '' }

class UsageError extends Error {}

function out(line: string): void {
  process.stdout.write(line + '\n')
}

function sizeText(n: number): string {
  return n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(n / 1024))} KB`
}

function threshold(values: Values): number {
  if (values.threshold === undefined) return 1
  const n = Number(values.threshold)
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new UsageError(`--threshold harus angka persen 0–100, bukan "${values.threshold}"`)
  return n
}

function offline<T>(values: Values, fn: (exports: ExportService) => Promise<T>): Promise<T> {
  const dataDir = values['data-dir'] ?? '.desk-data'
  // Not a new desk: export what the folder holds, as the folder says (its regency, training or not).
  // A flag that contradicts the folder still fails with the desk's own message naming the right flag.
  if (!existsSync(join(dataDir, 'desk.sqlite')))
    throw new UsageError(
      `Folder data ${resolve(dataDir)} tidak berisi data desk (desk.sqlite). Periksa --data-dir.`,
    )
  const remembered = rememberedSettings(join(dataDir, 'desk.sqlite'))
  const desk = openDesk({
    dataDir,
    regency: values.regency ?? remembered.regency ?? DEFAULT_REGENCY,
    training: values.training ?? remembered.training ?? false,
  })
  // Built the way createDesk builds it (its router is simply not mounted).
  const exports = createExport(desk.core).service
  return fn(exports).finally(async () => {
    await exports.shutdown()
    await desk.close()
  })
}

async function online(values: Values, path: string, init: RequestInit = {}): Promise<Response> {
  const token = values.token ?? process.env.DESK_ADMIN_TOKEN
  if (!token) throw new UsageError('Token diperlukan: --token atau DESK_ADMIN_TOKEN')
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${token}`)
  const res = await fetch(new URL(`/api/v1${path}`, values.url), { ...init, headers })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code?: string; message: string; rows?: RowError[]; openConflicts?: number }
    } | null
    if (body?.error?.code === 'open_conflicts' && typeof body.error.openConflicts === 'number')
      throw new OpenConflictsError(body.error.openConflicts, body.error.message)
    throw new DeskError(
      res.status,
      body?.error?.code ?? 'remote',
      body?.error?.message ?? `HTTP ${res.status}`,
      undefined,
      body?.error?.rows,
    )
  }
  return res
}

/** Ask on a terminal; without one (a script, a pipe) the answer is no. */
async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return (
      (await rl.question(`${question} Ketik "ya" untuk tetap membekukan: `))
        .trim()
        .toLowerCase() === 'ya'
    )
  } finally {
    rl.close()
  }
}

/**
 * Freeze; while reports wait for a supervisor, only with --confirm-open-conflicts or a "ya" typed at the
 * terminal, and the yes covers the count printed: the desk asks again if more are waiting by then.
 */
async function freezeConfirmed(
  values: Values,
  freeze: (confirmedOpen: number) => Promise<number>,
): Promise<number> {
  try {
    return await freeze(0)
  } catch (e) {
    if (!(e instanceof OpenConflictsError)) throw e
    process.stderr.write(`${e.message}\n`)
    if (
      values['confirm-open-conflicts'] ||
      (await confirmOnTerminal(
        `Tetap bekukan dengan ${formatCount(e.openConflicts)} laporan menunggu?`,
      ))
    ) {
      return freeze(e.openConflicts)
    }
    throw new UsageError(
      'Tidak dibekukan. Untuk tetap membekukan tanpa ditanya, tambahkan --confirm-open-conflicts.',
    )
  }
}

function written(file: string, bytes: Buffer, note: string): void {
  writeFileSync(file, bytes)
  out(`${note}: ${file} (${sizeText(bytes.length)})`)
  out(`SHA-256 berkas: ${createHash('sha256').update(bytes).digest('hex')}`)
}

async function exportCommand(values: Values): Promise<void> {
  if (!values.out) throw new UsageError('Sebutkan berkas tujuan: export --out rekap.xlsx')
  const parsedProfile = exportProfileSchema.safeParse(values.profile ?? 'berjenjang')
  if (!parsedProfile.success) throw new UsageError(parsedProfile.error.issues[0]!.message)
  const profile = parsedProfile.data
  const file = resolve(values.out)
  const snapshotNo = values.snapshot !== undefined ? Number(values.snapshot) : null
  if (snapshotNo !== null && (!Number.isInteger(snapshotNo) || snapshotNo < 1))
    throw new UsageError(`--snapshot harus nomor snapshot, bukan "${values.snapshot}"`)
  if (snapshotNo !== null && values.freeze)
    throw new UsageError(
      'Pilih salah satu: --freeze (snapshot baru) atau --snapshot N (yang sudah ada)',
    )
  const pct = threshold(values)
  if (values.url) {
    let id = snapshotNo
    if (values.freeze) {
      id = await freezeConfirmed(values, async (confirmedOpen) => {
        const res = await online(values, '/export/snapshots', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            label: values.label ?? '',
            threshold: pct,
            confirmOpenConflicts: confirmedOpen,
          }),
        })
        return ((await res.json()) as { id: number }).id
      })
      out(`Rekap dibekukan: snapshot #${id}`)
    }
    const path =
      id !== null
        ? `/export/snapshots/${id}/recap.xlsx?profile=${profile}`
        : `/export/recap.xlsx?profile=${profile}&threshold=${pct}`
    const res = await online(values, path)
    written(
      file,
      Buffer.from(await res.arrayBuffer()),
      id !== null ? `Snapshot #${id} (${profile})` : `Rekap ${profile}`,
    )
    return
  }
  await offline(values, async (exports) => {
    let id = snapshotNo
    if (values.freeze) {
      id = await freezeConfirmed(
        values,
        async (confirm) => (await exports.freeze(CLI, values.label ?? '', pct, confirm)).id,
      )
      out(`Rekap dibekukan: snapshot #${id}`)
    }
    if (id !== null) {
      const f = exports.snapshotFile(id, profile)
      written(file, f.bytes, `Snapshot #${id} (${profile})`)
    } else {
      const built = await exports.workbook(profile, pct)
      written(file, built.bytes, `Rekap ${profile}`)
      out(`Sidik data: ${built.dataSha256}`)
    }
  })
}

function reportRows(rows: { row: number; column?: string; message: string }[]): void {
  for (const r of rows)
    process.stderr.write(`  baris ${r.row}${r.column ? `, kolom ${r.column}` : ''}: ${r.message}\n`)
}

async function importKpuCommand(values: Values, path: string | undefined): Promise<void> {
  if (!path) throw new UsageError('Sebutkan berkas data KPU: import-kpu FILE --contest ID')
  const body = readFileSync(path)
  const source = values.source ?? basename(path)
  try {
    if (values.url) {
      const q = new URLSearchParams({
        source,
        ...(values.contest ? { contest: values.contest } : {}),
      })
      const res = await online(values, `/export/kpu/import?${q}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      })
      const r = (await res.json()) as {
        id: number
        level: string
        figures: number
        contests: string[]
      }
      out(
        `Data KPU diimpor: impor #${r.id}, tingkat ${r.level}, ${r.figures} angka wilayah (${r.contests.join(', ')})`,
      )
      return
    }
    await offline(values, async (exports) => {
      const r = await exports.importKpu(CLI, readTable(body), {
        ...(values.contest ? { contest: values.contest } : {}),
        source,
        fileSha256: createHash('sha256').update(body).digest('hex'),
      })
      out(
        `Data KPU diimpor: impor #${r.import.id}, tingkat ${r.import.level}, ${r.figures} angka wilayah (${r.import.contests.join(', ')})`,
      )
    })
  } catch (e) {
    if (e instanceof DeskError && e.rows?.length) {
      process.stderr.write(`${e.message}\n`)
      reportRows(e.rows)
      process.exitCode = 1
      return
    }
    throw e
  }
}

export async function runExportVerb(verb: string, args: string[]): Promise<void> {
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    })
    if (values.help) {
      process.stdout.write(EXPORT_HELP)
      return
    }
    if (verb === 'export') await exportCommand(values)
    else await importKpuCommand(values, positionals[0])
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const usage =
      e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    process.stderr.write(`${message}${usage ? `\n(lihat: ${verb} --help)` : ''}\n`)
    process.exitCode = 1
  }
}
