import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { checkDatabaseFile, fsyncDir, fsyncFile, readBackupFacts } from '../store/backup'
import { MIGRATIONS } from '../store/migrations'

const PHOTO_NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/

export interface RestoreResult {
  dataDir: string
  file: string
  regency: string | null
  training: boolean
  schemaVersion: number
  results: number
  submissions: number
  photos: number
  adminToken: boolean
}

/**
 * Restore a backup into a NEW data folder: never over an existing desk's data (a wrong folder
 * would silently replace a night's reports). The file is checked with `integrity_check` before
 * anything is written; photos and the admin token are taken from the backup folder beside it.
 */
export function restoreBackup(options: {
  file: string
  dataDir: string
  nativeBinding?: string
}): RestoreResult {
  const file = resolve(options.file)
  const dataDir = resolve(options.dataDir)
  if (!existsSync(file) || !statSync(file).isFile())
    throw new Error(`Berkas cadangan ${file} tidak ditemukan.`)
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory()) throw new Error(`--data-dir ${dataDir} bukan folder.`)
    if (readdirSync(dataDir).length > 0) {
      throw new Error(
        `Folder data ${dataDir} tidak kosong: pemulihan hanya ke folder baru atau kosong, agar tidak menimpa data desk. Pilih folder lain.`,
      )
    }
  }
  let checked
  try {
    checked = checkDatabaseFile(file, options.nativeBinding)
  } catch (e) {
    throw new Error(
      `Berkas ${basename(file)} bukan basis data desk yang bisa dibaca: ${e instanceof Error ? e.message : String(e)}`,
    )
  }
  if (checked.integrity !== 'ok')
    throw new Error(
      `Berkas ${basename(file)} rusak (integrity_check: ${checked.integrity.slice(0, 200)}). Pakai cadangan yang lebih lama.`,
    )
  const known = MIGRATIONS.at(-1)?.version ?? 0
  if (checked.schemaVersion > known)
    throw new Error(
      `Cadangan dibuat oleh versi Desk Pilkada yang lebih baru (skema ${checked.schemaVersion}, versi ini ${known}). Perbarui aplikasi dulu.`,
    )
  const facts = readBackupFacts(file, options.nativeBinding)
  if (!facts.regency)
    throw new Error(
      `Berkas ${basename(file)} bukan basis data Desk Pilkada (tidak ada kabupaten/kota di dalamnya).`,
    )

  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const target = join(dataDir, 'desk.sqlite')
  const tmp = `${target}.restore.tmp`
  copyFileSync(file, tmp)
  chmodSync(tmp, 0o600)
  fsyncFile(tmp)
  renameSync(tmp, target)

  const from = dirname(file)
  let photos = 0
  const photoDir = join(from, 'photos')
  if (existsSync(photoDir)) {
    const to = join(dataDir, 'photos')
    mkdirSync(to, { recursive: true, mode: 0o700 })
    for (const name of readdirSync(photoDir)) {
      if (!PHOTO_NAME.test(name)) continue
      copyFileSync(join(photoDir, name), join(to, name))
      fsyncFile(join(to, name))
      photos++
    }
    fsyncDir(to)
  }
  let adminToken = false
  if (existsSync(join(from, 'admin-token'))) {
    copyFileSync(join(from, 'admin-token'), join(dataDir, 'admin-token'))
    chmodSync(join(dataDir, 'admin-token'), 0o600)
    fsyncFile(join(dataDir, 'admin-token'))
    adminToken = true
  }
  fsyncDir(dataDir)
  return { dataDir, file, schemaVersion: checked.schemaVersion, photos, adminToken, ...facts }
}
