// The `purge-simulated` verb: show what a simulator or demo left in a desk, ask, then remove it.
// Works on a stopped desk's data dir (--data-dir) or against a running desk (--url).

import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import type { Principal } from '../service/principal'
import { createPurge } from '../server/purge-routes'
import { purgeLines, type PurgeAnswer, type PurgePreviewDto } from '../shared/purge'
import { openDesk } from './desk'
import { DEFAULT_REGENCY } from './regions-source'

export const PURGE_VERBS = ['purge-simulated'] as const

export const PURGE_HELP = `  purge-simulated  Menghapus data simulasi/demo (hasil, konflik, akun, perubahan status TPS, kejadian)
               setelah menampilkan apa yang akan dihapus dan meminta konfirmasi; snapshot beku tetap
               --data-dir DIR   langsung di folder data (desk harus berhenti), atau
               --url URL        di desk yang sedang berjalan (token: DESK_ADMIN_TOKEN atau --token)
               --yes            tanpa pertanyaan (untuk skrip; ringkasan tetap dicetak)
`

const options = {
  'data-dir': { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  regency: { type: 'string' },
  training: { type: 'boolean' },
  yes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const CLI: Principal = { id: 'cli', name: 'CLI', role: 'admin', region: '' }
const CONFIRM_WORD = 'HAPUS'

interface Backend {
  preview(): Promise<PurgePreviewDto>
  purge(confirm: string): Promise<PurgeAnswer>
  close(): Promise<void>
}

function remote(url: string, token: string): Backend {
  const call = async <T>(method: string, body?: unknown): Promise<T> => {
    const res = await fetch(new URL('/api/v1/admin/purge-simulated', url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const answer = (await res.json()) as T & { error?: { message: string } }
    if (!res.ok) throw new Error(answer.error?.message ?? `HTTP ${res.status}`)
    return answer
  }
  return {
    preview: () => call('GET'),
    purge: (confirm) => call('POST', { confirm }),
    close: async () => {},
  }
}

function local(values: Record<string, string | boolean | undefined>): Backend {
  const desk = openDesk({
    dataDir: values['data-dir'] as string,
    regency: (values.regency as string | undefined) ?? DEFAULT_REGENCY,
    training: !!values.training,
  })
  // Built the way createDesk builds it (its router is simply not mounted).
  const purge = createPurge(desk.core).service
  return {
    preview: async () => purge.preview(),
    purge: (confirm) => purge.purge(CLI, confirm),
    close: () => desk.close(),
  }
}

export async function runPurgeVerb(_verb: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true })
  const out = (line: string) => process.stdout.write(line + '\n')
  if (values.help) return void process.stdout.write(PURGE_HELP)
  let backend: Backend
  if (values.url) {
    const token = values.token ?? process.env.DESK_ADMIN_TOKEN
    if (!token) throw new Error('Token admin diperlukan: --token atau DESK_ADMIN_TOKEN')
    backend = remote(values.url, token)
  } else if (values['data-dir']) {
    backend = local(values)
  } else {
    throw new Error(
      'Sebutkan desknya: --data-dir DIR (desk berhenti) atau --url URL (desk berjalan)',
    )
  }
  try {
    const preview = await backend.preview()
    if (preview.empty) {
      out('Tidak ada data simulasi di desk ini.')
      return
    }
    out('Yang akan dihapus:')
    for (const line of purgeLines(preview)) out(`  - ${line}`)
    out(
      'Tetap tersimpan: log kiriman, log penolakan dan log audit (hanya-tambah), serta snapshot beku.',
    )
    if (!values.yes) {
      if (!process.stdin.isTTY)
        throw new Error(
          `Tidak ada yang dihapus. Jalankan di terminal untuk menjawab pertanyaan, atau tambahkan --yes setelah membaca ringkasan di atas.`,
        )
      const rl = createInterface({ input: process.stdin, output: process.stdout })
      const answer = await rl.question(`Ketik ${CONFIRM_WORD} untuk menghapus semuanya: `)
      rl.close()
      if (answer.trim() !== CONFIRM_WORD) {
        out('Dibatalkan: tidak ada yang dihapus.')
        process.exitCode = 1
        return
      }
    }
    const done = await backend.purge(preview.confirm)
    out(
      `Data simulasi dihapus (${done.results.toLocaleString('id-ID')} hasil, ${done.accounts.toLocaleString('id-ID')} akun). Tercatat di log audit.`,
    )
  } finally {
    await backend.close()
  }
}
