import { resolve } from 'node:path'
import type { DeskSettings } from '../shared/settings'
import { DEFAULT_PORT, type DeskOptions } from './desk'
import { DEFAULT_REGENCY } from './regions-source'

/**
 * The desk's options from its settings (the same whether they came from `npm run serve`'s flags
 * or from the Electron app's settings file). `fallback` holds what the caller decides when a
 * setting is absent: the data folder (./.desk-data headless, the user-data folder in the app).
 */
export function deskOptionsFromSettings(s: DeskSettings, fallback: { dataDir: string; host?: string }): DeskOptions {
  return {
    dataDir: resolve(s.dataDir ?? fallback.dataDir),
    port: s.port ?? DEFAULT_PORT,
    host: s.host ?? fallback.host ?? '0.0.0.0',
    regency: s.regency ?? DEFAULT_REGENCY,
    training: s.training ?? false,
    ...(s.election ? { electionFile: s.election } : {}),
    ...(s.publicUrl ? { publicUrl: s.publicUrl } : {}),
  }
}
