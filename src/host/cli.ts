import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { readTable } from '../server/tables'
import { DeskError } from '../service/errors'
import {
  settingFlagOptions,
  settingsFromFlags,
  settingsHelp,
  SETTINGS,
  type DeskSettingKey,
} from '../shared/settings'
import { createDesk, openDesk } from './desk'
import { restoreBackup } from './restore'
import { DEFAULT_REGENCY } from './regions-source'
import { deskOptionsFromSettings } from './settings'
import { runSimVerb, SIM_VERBS } from './sim-verbs'
import { EXPORT_HELP, EXPORT_VERBS, runExportVerb } from './export-cli'
import { formatCount } from '../shared/format'
import { PURGE_HELP, PURGE_VERBS, runPurgeVerb } from './purge-cli'

const HELP = `Desk Pilkada — perintah baris

  serve        Menjalankan desk tanpa jendela (headless); pengaturan yang sama dengan layar
               Pengaturan di aplikasi desktop:
${settingsHelp('               ')}
               DESK_ADMIN_TOKEN token admin; jika kosong dibuat dan disimpan di folder data

  simulate     Simulasi malam pemilihan terhadap desk yang berjalan, hanya lewat API (simulate --help)
               --url URL --token TOKEN [--speed 60] [--seed 42] [--kecamatan N|daftar] [--summary FILE] [--verify]
  demo         Desk MODE LATIHAN (folder dan port sendiri) + simulator; mencetak alamat layar (demo --help)

  import-tps FILE   Mengimpor daftar TPS (CSV/XLSX: kode_desa,nomor_tps,dpt[,dpt_l,dpt_p,lokasi])
               --data-dir DIR   langsung ke folder data (desk harus berhenti), atau
               --url URL        ke desk yang sedang berjalan (token: DESK_ADMIN_TOKEN atau --token)

  restore FILE Memulihkan cadangan (desk-….sqlite dari --backup-dir) ke folder data BARU
               --data-dir DIR   folder data baru atau kosong (folder berisi ditolak)

${EXPORT_HELP}
${PURGE_HELP}`

const options = {
  ...settingFlagOptions(),
  'data-dir': { type: 'string' },
  regency: { type: 'string' },
  training: { type: 'boolean' },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

async function serve(values: Record<string, string | boolean | undefined>): Promise<void> {
  // The SMS gateway's password and signing key may come from the environment instead of the
  // command line (where `ps` shows them to every user of the machine).
  const checked = settingsFromFlags({
    ...values,
    'sms-android-password': values['sms-android-password'] ?? process.env.DESK_SMS_ANDROID_PASSWORD,
    'sms-android-signing-key':
      values['sms-android-signing-key'] ?? process.env.DESK_SMS_ANDROID_SIGNING_KEY,
  })
  if (!checked.ok) {
    // Name the flag the way it was typed: the messages name the setting in Indonesian.
    fail(
      Object.entries(checked.errors)
        .map(
          ([key, message]) =>
            `${key in SETTINGS ? `--${SETTINGS[key as DeskSettingKey].flag}` : 'pengaturan'}: ${message}`,
        )
        .join('\n'),
    )
  }
  const settings = checked.settings
  const deskOptions = deskOptionsFromSettings(settings, { dataDir: '.desk-data' })
  const dataDir = deskOptions.dataDir
  const sms = deskOptions.sms
  const desk = await createDesk({
    ...deskOptions,
    ...(process.env.DESK_ADMIN_TOKEN ? { adminToken: process.env.DESK_ADMIN_TOKEN } : {}),
    ...(process.env.DESK_WRITER_MAX_BATCH
      ? { writerMaxBatch: Number(process.env.DESK_WRITER_MAX_BATCH) }
      : {}),
  })
  const out = (line: string) => process.stdout.write(line + '\n')
  const cfg = desk.service.config()
  // One write, so whoever watches for the URL line has the token line too.
  const lines = [
    `Desk Pilkada ${cfg.regency.name}${cfg.training ? ' — MODE LATIHAN (data simulasi)' : ''} siap di ${desk.url}`,
    `Folder data: ${dataDir}${desk.logFile ? ` (log permintaan: ${desk.logFile})` : ''}`,
  ]
  const card = desk.features.cards.publicUrl()
  if (card.publicUrl)
    lines.push(
      `Alamat di kartu pelapor: ${card.publicUrl}${card.source === 'admin' ? ' (diatur admin di /kredensial)' : ''}`,
    )
  if (sms?.gammu) lines.push(`SMS gammu: inbox ${sms.gammu.inbox}, outbox ${sms.gammu.outbox}`)
  if (sms?.android)
    lines.push(
      `SMS Android: balasan lewat ${sms.android.url}; webhook ${desk.url}/api/v1/sms/android${sms.android.signingKey ? ' (bertanda tangan)' : ' (TANPA tanda tangan)'}`,
    )
  // Phones cannot open 127.0.0.1: say every address this desk answers on.
  if (desk.urls.length > 1 || desk.urls[0] !== desk.url) {
    lines.push(
      'Bisa dibuka di:',
      ...desk.urls.map(
        (u) => `  ${u}${/\/\/(127\.|\[::1\])/.test(u) ? '  (komputer ini saja)' : ''}`,
      ),
    )
  }
  if (desk.redirectPort !== null)
    lines.push(`Port HTTP ${desk.redirectPort} hanya mengalihkan ke HTTPS.`)
  if (desk.tlsValidTo) {
    const days = Math.floor((desk.tlsValidTo.getTime() - Date.now()) / 86_400_000)
    lines.push(
      days < 0
        ? `PERINGATAN: sertifikat TLS sudah kedaluwarsa (${desk.tlsValidTo.toISOString().slice(0, 10)}): HP akan menolaknya.`
        : `Sertifikat TLS berlaku sampai ${desk.tlsValidTo.toISOString().slice(0, 10)} (${days} hari lagi).`,
    )
  }
  if (desk.backups)
    lines.push(`Cadangan: ${desk.backups.dir} (tiap ${desk.backups.intervalSeconds} detik)`)
  if (desk.adminTokenGenerated) {
    lines.push(
      `Token admin (hanya ditampilkan sekali, tersimpan di ${desk.adminTokenFile}): ${desk.adminToken}`,
    )
  } else if (!process.env.DESK_ADMIN_TOKEN) {
    lines.push(`Token admin tersimpan di ${desk.adminTokenFile}`)
  }
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    out(`Menerima ${signal}: menyelesaikan permintaan yang berjalan lalu menutup basis data…`)
    desk.close().then(
      () => {
        out('Desk berhenti dengan rapi.')
        process.exit(0)
      },
      (e: unknown) => {
        process.stderr.write(`Gagal menutup desk: ${e instanceof Error ? e.message : String(e)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  // Announce only once a signal would stop us cleanly: whoever waits for this line may signal at once.
  out(lines.join('\n'))
}

/** The SMS gateways named on the command line (issue 15); both halves of a pair are required. */
async function importTps(
  values: Record<string, string | boolean | undefined>,
  file: string | undefined,
): Promise<void> {
  if (!file) fail('Sebutkan berkas TPS: import-tps FILE')
  const body = readFileSync(file)
  if (values.url) {
    const token = (values.token as string | undefined) ?? process.env.DESK_ADMIN_TOKEN
    if (!token) fail('Token admin diperlukan: --token atau DESK_ADMIN_TOKEN')
    const res = await fetch(new URL('/api/v1/tps/import', values.url as string), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body,
    })
    const answer = (await res.json()) as {
      imported?: number
      updated?: number
      errors?: { row: number; message: string }[]
      error?: { message: string }
    }
    report(answer)
    if (!res.ok) process.exit(1)
    return
  }
  const desk = openDesk({
    dataDir: (values['data-dir'] as string | undefined) ?? '.desk-data',
    regency: (values.regency as string | undefined) ?? DEFAULT_REGENCY,
    training: !!values.training,
  })
  const { service } = desk
  try {
    const result = await service.importTps(
      { id: 'cli', name: 'CLI', role: 'admin', region: service.regions.regency.code },
      readTable(body),
    )
    report(result)
    if (result.errors.length > 0) process.exitCode = 1
  } finally {
    await desk.close()
  }
}

function restore(
  values: Record<string, string | boolean | undefined>,
  file: string | undefined,
): void {
  if (!file) fail('Sebutkan berkas cadangan: restore FILE --data-dir DIR')
  if (!values['data-dir']) fail('Sebutkan folder data baru: restore FILE --data-dir DIR')
  const r = restoreBackup({ file, dataDir: values['data-dir'] as string })
  const n = (x: number) => x.toLocaleString('id-ID')
  process.stdout.write(
    [
      `Dipulihkan ke ${r.dataDir}: ${n(r.results)} hasil, ${n(r.submissions)} kiriman, ${n(r.photos)} foto${r.adminToken ? ', token admin' : ''}.`,
      `Jalankan: npm run serve -- --data-dir ${r.dataDir} --regency ${r.regency}${r.training ? ' --training' : ''}`,
    ].join('\n') + '\n',
  )
}

function report(r: {
  imported?: number
  updated?: number
  errors?: { row: number; message: string }[]
  error?: { message: string }
}): void {
  if (r.errors && r.errors.length > 0) {
    process.stderr.write(`Tidak ada yang diimpor. ${r.errors.length} kesalahan:\n`)
    for (const e of r.errors) process.stderr.write(`  baris ${e.row}: ${e.message}\n`)
  } else if (r.error) {
    process.stderr.write(`${r.error.message}\n`)
  } else {
    process.stdout.write(
      `TPS baru: ${formatCount(r.imported ?? 0)}, diperbarui: ${formatCount(r.updated ?? 0)}\n`,
    )
  }
}

async function main(argv: string[]): Promise<void> {
  if ((EXPORT_VERBS as readonly string[]).includes(argv[0] ?? ''))
    return runExportVerb(argv[0]!, argv.slice(1))
  if ((PURGE_VERBS as readonly string[]).includes(argv[0] ?? ''))
    return runPurgeVerb(argv[0]!, argv.slice(1))
  // A closed terminal or log pipe must never take the desk down with it.
  process.stdout.on('error', () => {})
  process.stderr.on('error', () => {})
  // simulate and demo take options of their own (src/sim/command.ts).
  if ((SIM_VERBS as readonly string[]).includes(argv[0] ?? ''))
    return runSimVerb(argv[0]!, argv.slice(1))
  const { values, positionals } = parseArgs({
    args: argv,
    options,
    allowPositionals: true,
    strict: true,
  })
  const [verb, ...rest] = positionals
  if (values.help || !verb) {
    process.stdout.write(HELP)
    return
  }
  switch (verb) {
    case 'serve':
      return serve(values)
    case 'import-tps':
      return importTps(values, rest[0])
    case 'restore':
      return restore(values, rest[0])
    default:
      fail(`Perintah "${verb}" tidak dikenal.\n\n${HELP}`)
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof DeskError || e instanceof Error) fail(e.message)
  fail(String(e))
})
