import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { checkSettings, type DeskSettings, type DeskSettingKey } from '../shared/settings'

/** What the desktop app keeps in its user-data folder (settings.json). */
export interface AppSettings {
  settings: DeskSettings
  /** Start this laptop's own desk at once instead of showing the start screen. */
  autoStart: boolean
}

export type AppSettingsResult =
  | { ok: true; value: AppSettings }
  | { ok: false; errors: Partial<Record<DeskSettingKey | 'form', string>> }

/** Validate what the settings screen sends (or what the file holds). */
export function checkAppSettings(input: unknown): AppSettingsResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, errors: { form: 'Berkas pengaturan rusak: bukan objek JSON' } }
  const { settings = {}, autoStart = false } = input as { settings?: unknown; autoStart?: unknown }
  if (typeof autoStart !== 'boolean')
    return { ok: false, errors: { form: 'Pilihan "langsung mulai" harus ya/tidak' } }
  const checked = checkSettings(settings)
  if (!checked.ok) return checked
  return { ok: true, value: { settings: checked.settings, autoStart } }
}

/**
 * Read settings.json. A missing file is the defaults; a damaged one is reported (the start screen
 * shows the errors and the settings form), never silently replaced.
 */
export function readAppSettings(file: string): AppSettingsResult {
  if (!existsSync(file)) return { ok: true, value: { settings: {}, autoStart: false } }
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return {
      ok: false,
      errors: {
        form: `Berkas pengaturan ${file} bukan JSON yang sah: perbaiki atau simpan ulang dari layar Pengaturan`,
      },
    }
  }
  return checkAppSettings(raw)
}

/**
 * Validate and write settings.json atomically (a crash mid-write leaves the old file), readable by
 * this user only: it may hold the SMS gateway's password.
 */
export function writeAppSettings(file: string, input: unknown): AppSettingsResult {
  const checked = checkAppSettings(input)
  if (!checked.ok) return checked
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.tmp-${process.pid}`
  writeFileSync(tmp, JSON.stringify(checked.value, null, 2) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, file)
  return checked
}
