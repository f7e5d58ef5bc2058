import { z } from 'zod'
import { parsePublicUrl } from './cards'

/**
 * The desk's start settings: one schema for `npm run serve`'s flags and for the Electron app's
 * settings screen (stored in the user-data folder). Each entry names its flag, so the CLI's
 * options, its help text and the settings form are all made from this one table.
 */

const PORT_MESSAGE = 'harus bilangan bulat 0–65535'

const port = (label: string) =>
  z.coerce
    .number({ error: `${label} ${PORT_MESSAGE}` })
    .int({ error: `${label} ${PORT_MESSAGE}` })
    .min(0, { error: `${label} ${PORT_MESSAGE}` })
    .max(65535, { error: `${label} ${PORT_MESSAGE}` })

const path = (label: string) =>
  z
    .string({ error: `${label} harus berupa lokasi berkas atau folder` })
    .trim()
    .min(1, { error: `${label} kosong` })
    .max(1000, { error: `${label} terlalu panjang` })
    .refine((s) => !s.includes('\0'), { error: `${label} memuat karakter tidak sah` })

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
const IPV6 = /^[0-9a-f:.]+$/i

function isAddress(s: string): boolean {
  return IPV4.test(s) || (s.includes(':') && IPV6.test(s))
}

function isCidrOrAddress(s: string): boolean {
  const [addr, bits, extra] = s.split('/')
  if (extra !== undefined || !addr || !isAddress(addr)) return false
  if (bits === undefined) return true
  if (!/^\d{1,3}$/.test(bits)) return false
  return Number(bits) <= (addr.includes(':') ? 128 : 32)
}

/** A comma-separated flag or a JSON array: a list of addresses / CIDR blocks. */
const networkList = (label: string) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z
      .array(z.string().trim(), { error: `${label}: daftar alamat atau blok CIDR, dipisah koma` })
      .max(64, { error: `${label}: paling banyak 64 entri` })
      .superRefine((list, ctx) => {
        for (const item of list) {
          if (!isCidrOrAddress(item))
            ctx.addIssue({
              code: 'custom',
              message: `${label}: "${item.slice(0, 60)}" bukan alamat IP atau blok CIDR (contoh 10.0.0.0/8)`,
            })
        }
      }),
  )

const url = (label: string) =>
  z
    .string({ error: `${label} harus berupa alamat web` })
    .trim()
    .max(300, { error: `${label} terlalu panjang` })
    .refine(
      (s) => {
        try {
          const u = new URL(s)
          return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password
        } catch {
          return false
        }
      },
      {
        error: `${label} harus alamat http:// atau https:// yang lengkap, contoh https://desk-pilkada.jemberkab.go.id`,
      },
    )

const secret = (label: string) =>
  z
    .string({ error: `${label} harus berupa teks` })
    .min(1, { error: `${label} kosong` })
    .max(500, { error: `${label} terlalu panjang` })

export const deskSettingsSchema = z
  .object({
    dataDir: path('Folder data').optional(),
    port: port('Port').optional(),
    host: z
      .string({ error: 'Alamat dengar harus berupa alamat IP' })
      .trim()
      .refine((s) => s === 'localhost' || isAddress(s), {
        error:
          'Alamat dengar harus alamat IP, contoh 0.0.0.0 (seluruh LAN) atau 127.0.0.1 (laptop ini saja)',
      })
      .optional(),
    regency: z
      .string({ error: 'Kode wilayah harus teks' })
      .trim()
      .regex(/^\d{2}\.\d{2}$/, { error: 'Kode kabupaten/kota harus seperti 35.09' })
      .optional(),
    election: path('Berkas pemilihan').optional(),
    training: z.boolean({ error: 'Mode latihan harus ya/tidak' }).optional(),
    tlsCert: path('Sertifikat TLS').optional(),
    tlsKey: path('Kunci TLS').optional(),
    httpRedirectPort: port('Port pengalihan HTTP').optional(),
    // The address printed on reporters' cards: the same rule as its field on /kredensial.
    publicUrl: z
      .string({ error: 'Alamat publik harus berupa alamat web' })
      .superRefine((raw, ctx) => {
        const checked = parsePublicUrl(raw, 'Alamat publik')
        if ('error' in checked) ctx.addIssue({ code: 'custom', message: checked.error })
      })
      .transform((raw) => {
        const checked = parsePublicUrl(raw, 'Alamat publik')
        return 'url' in checked ? checked.url : raw
      })
      .optional(),
    trustProxy: networkList('Proxy tepercaya').optional(),
    staffNetworks: networkList('Jaringan staf').optional(),
    backupDir: path('Folder cadangan').optional(),
    backupInterval: z.coerce
      .number({ error: 'Selang cadangan harus angka (detik)' })
      .int({ error: 'Selang cadangan harus bilangan bulat (detik)' })
      .min(10, { error: 'Selang cadangan paling cepat 10 detik' })
      .max(86_400, { error: 'Selang cadangan paling lama 86.400 detik (sehari)' })
      .optional(),
    smsGammuInbox: path('Folder inbox Gammu').optional(),
    smsGammuOutbox: path('Folder outbox Gammu').optional(),
    smsAndroidUrl: url('Alamat SMS Gateway Android').optional(),
    smsAndroidUser: secret('Nama pengguna SMS Gateway Android').optional(),
    smsAndroidPassword: secret('Sandi SMS Gateway Android').optional(),
    smsAndroidSigningKey: secret('Kunci tanda tangan webhook Android').optional(),
    smsAndroidAllowUnsigned: z
      .boolean({ error: 'Terima webhook tanpa tanda tangan harus ya/tidak' })
      .optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const together = (a: keyof typeof s, b: keyof typeof s, message: string) => {
      if ((s[a] === undefined) !== (s[b] === undefined))
        ctx.addIssue({ code: 'custom', path: [s[a] === undefined ? a : b], message })
    }
    together('tlsCert', 'tlsKey', 'Sertifikat dan kunci TLS harus diisi berdua')
    together('smsGammuInbox', 'smsGammuOutbox', 'Folder inbox dan outbox Gammu harus diisi berdua')
    if (s.backupInterval !== undefined && s.backupDir === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['backupInterval'],
        message: 'Selang cadangan perlu folder cadangan (isi Folder cadangan)',
      })
    }
    if (s.httpRedirectPort !== undefined && s.tlsCert === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['httpRedirectPort'],
        message:
          'Port pengalihan HTTP hanya berguna bila desk memakai HTTPS (isi sertifikat dan kunci TLS)',
      })
    }
    if (
      s.httpRedirectPort !== undefined &&
      s.httpRedirectPort !== 0 &&
      s.httpRedirectPort === s.port
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['httpRedirectPort'],
        message: 'Port pengalihan HTTP harus berbeda dari port desk',
      })
    }
    const android = [s.smsAndroidUrl, s.smsAndroidUser, s.smsAndroidPassword]
    if (android.some((v) => v !== undefined) && android.some((v) => v === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['smsAndroidUrl'],
        message: 'SMS Gateway Android perlu alamat, nama pengguna dan sandi sekaligus',
      })
    }
    if (
      (s.smsAndroidSigningKey !== undefined || s.smsAndroidAllowUnsigned) &&
      s.smsAndroidUrl === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['smsAndroidSigningKey'],
        message: 'Kunci tanda tangan hanya berguna bersama SMS Gateway Android',
      })
    }
  })

export type DeskSettings = z.infer<typeof deskSettingsSchema>
export type DeskSettingKey = keyof DeskSettings

export interface SettingSpec {
  /** The `npm run serve` flag, and what its value is called in the help text. */
  flag: string
  arg?: string
  type: 'string' | 'boolean'
  /** The settings screen's label and the help line (Indonesian first). */
  label: string
  help: string
  group: 'desk' | 'https' | 'network' | 'backup' | 'sms'
  /** Shown as dots on screen and never logged. */
  secret?: boolean
  /** What the form offers to pick: a file, a folder, or neither. */
  pick?: 'file' | 'folder'
}

/** Every setting in the order of the help text and of the settings screen. */
export const SETTINGS: Readonly<Record<DeskSettingKey, SettingSpec>> = {
  dataDir: {
    flag: 'data-dir',
    arg: 'DIR',
    type: 'string',
    group: 'desk',
    pick: 'folder',
    label: 'Folder data',
    help: 'folder data (bawaan: ./.desk-data; aplikasi: folder data pengguna)',
  },
  port: {
    flag: 'port',
    arg: 'N',
    type: 'string',
    group: 'desk',
    label: 'Port',
    help: 'port HTTP(S) (bawaan: 4046; 0 memilih port bebas)',
  },
  host: {
    flag: 'host',
    arg: 'H',
    type: 'string',
    group: 'desk',
    label: 'Alamat dengar',
    help: 'alamat dengar (bawaan: 0.0.0.0, semua antarmuka LAN; 127.0.0.1 laptop ini saja)',
  },
  regency: {
    flag: 'regency',
    arg: 'KODE',
    type: 'string',
    group: 'desk',
    label: 'Kabupaten/kota',
    help: 'kabupaten/kota, kode Kemendagri (bawaan: 35.09, Kabupaten Jember)',
  },
  election: {
    flag: 'election',
    arg: 'FILE',
    type: 'string',
    group: 'desk',
    pick: 'file',
    label: 'Berkas pemilihan',
    help: 'konfigurasi pemilihan (JSON) untuk desk baru',
  },
  training: {
    flag: 'training',
    type: 'boolean',
    group: 'desk',
    label: 'Mode latihan',
    help: 'mode latihan (folder data sendiri)',
  },
  tlsCert: {
    flag: 'tls-cert',
    arg: 'FILE',
    type: 'string',
    group: 'https',
    pick: 'file',
    label: 'Sertifikat TLS (PEM)',
    help: 'sertifikat TLS (PEM): desk melayani HTTPS',
  },
  tlsKey: {
    flag: 'tls-key',
    arg: 'FILE',
    type: 'string',
    group: 'https',
    pick: 'file',
    label: 'Kunci TLS (PEM)',
    help: 'kunci privat sertifikat (PEM)',
  },
  httpRedirectPort: {
    flag: 'http-redirect-port',
    arg: 'N',
    type: 'string',
    group: 'https',
    label: 'Port pengalihan HTTP',
    help: 'port HTTP biasa yang hanya mengalihkan ke alamat HTTPS',
  },
  publicUrl: {
    flag: 'public-url',
    arg: 'URL',
    type: 'string',
    group: 'https',
    label: 'Alamat publik',
    help: 'alamat desk dari lapangan (dicetak di kartu pelapor), contoh https://desk-pilkada.jemberkab.go.id',
  },
  trustProxy: {
    flag: 'trust-proxy',
    arg: 'DAFTAR',
    type: 'string',
    group: 'network',
    label: 'Proxy tepercaya',
    help: 'alamat/CIDR reverse proxy yang boleh menyebut alamat klien (X-Forwarded-For), dipisah koma',
  },
  staffNetworks: {
    flag: 'staff-networks',
    arg: 'DAFTAR',
    type: 'string',
    group: 'network',
    label: 'Jaringan staf',
    help: 'CIDR tempat layar dan kode staf boleh dipakai (bawaan: loopback dan rentang privat), dipisah koma',
  },
  backupDir: {
    flag: 'backup-dir',
    arg: 'DIR',
    type: 'string',
    group: 'backup',
    pick: 'folder',
    label: 'Folder cadangan',
    help: 'folder cadangan (disk kedua atau flashdisk)',
  },
  backupInterval: {
    flag: 'backup-interval',
    arg: 'DETIK',
    type: 'string',
    group: 'backup',
    label: 'Selang cadangan (detik)',
    help: 'selang cadangan dalam detik (bawaan: 60)',
  },
  smsGammuInbox: {
    flag: 'sms-gammu-inbox',
    arg: 'DIR',
    type: 'string',
    group: 'sms',
    pick: 'folder',
    label: 'Gammu: folder inbox',
    help: 'folder inbox gammu-smsd (backend files)',
  },
  smsGammuOutbox: {
    flag: 'sms-gammu-outbox',
    arg: 'DIR',
    type: 'string',
    group: 'sms',
    pick: 'folder',
    label: 'Gammu: folder outbox',
    help: 'folder outbox gammu-smsd (backend files)',
  },
  smsAndroidUrl: {
    flag: 'sms-android-url',
    arg: 'URL',
    type: 'string',
    group: 'sms',
    label: 'SMS Gateway Android: alamat',
    help: 'alamat API lokal HP SMS Gateway for Android, contoh http://192.168.1.20:8080',
  },
  smsAndroidUser: {
    flag: 'sms-android-user',
    arg: 'NAMA',
    type: 'string',
    group: 'sms',
    label: 'SMS Gateway Android: pengguna',
    help: 'nama pengguna API lokal HP',
  },
  smsAndroidPassword: {
    flag: 'sms-android-password',
    arg: 'SANDI',
    type: 'string',
    group: 'sms',
    secret: true,
    label: 'SMS Gateway Android: sandi',
    help: 'sandi API lokal HP (juga bisa dari DESK_SMS_ANDROID_PASSWORD)',
  },
  smsAndroidSigningKey: {
    flag: 'sms-android-signing-key',
    arg: 'KUNCI',
    type: 'string',
    group: 'sms',
    secret: true,
    label: 'SMS Gateway Android: kunci tanda tangan',
    help: 'kunci tanda tangan webhook (wajib, kecuali pilihan berikut; juga bisa dari DESK_SMS_ANDROID_SIGNING_KEY)',
  },
  smsAndroidAllowUnsigned: {
    flag: 'sms-android-allow-unsigned',
    type: 'boolean',
    group: 'sms',
    label: 'Terima webhook tanpa tanda tangan',
    help: 'menerima webhook SMS Android tanpa tanda tangan (hanya untuk uji)',
  },
}

export const SETTING_GROUPS: Readonly<Record<SettingSpec['group'], string>> = {
  desk: 'Desk',
  https: 'HTTPS dan alamat dari lapangan',
  network: 'Jaringan',
  backup: 'Cadangan',
  sms: 'Gateway SMS',
}

export type SettingsResult =
  | { ok: true; settings: DeskSettings }
  | { ok: false; errors: Partial<Record<DeskSettingKey | 'form', string>> }

/** Validate settings from any source; errors are keyed by setting, in Indonesian. */
export function checkSettings(input: unknown): SettingsResult {
  const r = deskSettingsSchema.safeParse(input)
  if (r.success) return { ok: true, settings: r.data }
  const errors: Partial<Record<DeskSettingKey | 'form', string>> = {}
  for (const issue of r.error.issues) {
    const key = (issue.path[0] as DeskSettingKey | undefined) ?? 'form'
    if (issue.code === 'unrecognized_keys') {
      errors.form ??= `Pengaturan tidak dikenal: ${issue.keys.join(', ')}`
      continue
    }
    errors[key] ??= issue.message
  }
  return { ok: false, errors }
}

/**
 * Settings from `npm run serve`'s parsed flags (values by flag name). Empty strings count as not
 * given, as an empty field on the settings screen does.
 */
export function settingsFromFlags(
  values: Record<string, string | boolean | undefined>,
): SettingsResult {
  const input: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(SETTINGS) as [DeskSettingKey, SettingSpec][]) {
    const v = values[spec.flag]
    if (v === undefined || v === '' || v === false) continue
    input[key] = v
  }
  return checkSettings(input)
}

/** The flags' parseArgs options (node:util). */
export function settingFlagOptions(): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(Object.values(SETTINGS).map((s) => [s.flag, { type: s.type }]))
}

/** The help text's lines for `serve`. */
export function settingsHelp(indent: string): string {
  const named = (s: SettingSpec) => `--${s.flag}${s.arg ? ` ${s.arg}` : ''}`
  const width = Math.max(...Object.values(SETTINGS).map((s) => named(s).length))
  return Object.values(SETTINGS)
    .map((s) => `${indent}${named(s).padEnd(width)}  ${s.help}`)
    .join('\n')
}
