import { resolve } from 'node:path'
import type { DeskSettings } from '../shared/settings'
import { DEFAULT_PORT, type DeskOptions, type SmsOptions } from './desk'
import { DEFAULT_REGENCY } from './regions-source'

/**
 * The desk's options from its settings (the same whether they came from `npm run serve`'s flags
 * or from the Electron app's settings file). `fallback` holds what the caller decides when a
 * setting is absent: the data folder (./.desk-data headless, the user-data folder in the app).
 */
export function deskOptionsFromSettings(
  s: DeskSettings,
  fallback: { dataDir: string; host?: string },
): DeskOptions {
  const sms: SmsOptions = {
    ...(s.smsGammuInbox && s.smsGammuOutbox
      ? { gammu: { inbox: resolve(s.smsGammuInbox), outbox: resolve(s.smsGammuOutbox) } }
      : {}),
    ...(s.smsAndroidUrl && s.smsAndroidUser && s.smsAndroidPassword
      ? {
          android: {
            url: s.smsAndroidUrl,
            user: s.smsAndroidUser,
            password: s.smsAndroidPassword,
            ...(s.smsAndroidSigningKey ? { signingKey: s.smsAndroidSigningKey } : {}),
            allowUnsigned: s.smsAndroidAllowUnsigned ?? false,
          },
        }
      : {}),
  }
  return {
    dataDir: resolve(s.dataDir ?? fallback.dataDir),
    port: s.port ?? DEFAULT_PORT,
    host: s.host ?? fallback.host ?? '0.0.0.0',
    regency: s.regency ?? DEFAULT_REGENCY,
    training: s.training ?? false,
    ...(s.election ? { electionFile: s.election } : {}),
    ...(s.publicUrl ? { publicUrl: s.publicUrl } : {}),
    ...(s.tlsCert ? { tlsCert: s.tlsCert } : {}),
    ...(s.tlsKey ? { tlsKey: s.tlsKey } : {}),
    ...(s.httpRedirectPort !== undefined ? { httpRedirectPort: s.httpRedirectPort } : {}),
    ...(s.trustProxy ? { trustProxy: s.trustProxy } : {}),
    ...(s.staffNetworks ? { staffNetworks: s.staffNetworks } : {}),
    ...(s.backupDir ? { backupDir: resolve(s.backupDir) } : {}),
    ...(s.backupInterval !== undefined ? { backupIntervalSeconds: s.backupInterval } : {}),
    ...(sms.gammu || sms.android ? { sms } : {}),
  }
}
