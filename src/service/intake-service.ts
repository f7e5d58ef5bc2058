import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readdirSync, renameSync, unlinkSync } from 'node:fs'
import { mkdir, open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { isWithin, regionLevel } from '../domain/codes'
import { headerIndex, type RowError } from '../domain/tps'
import type {
  DesaVerificationDto,
  ImportedUserDto,
  IncidentDto,
  IntakeContestState,
  IntakeTpsListDto,
  PhotoDto,
  RegionRefDto,
  SignInWindowDto,
  UserImportAnswer,
  VerificationListDto,
  VerificationRowDto,
  VerificationTpsDto,
} from '../shared/api'
import { formatDateTimeWib } from '../shared/format'
import {
  INCIDENT_CATEGORY_LABELS,
  type IncidentCreate,
  type Role,
  type SignInWindow,
  type VerificationMark,
} from '../shared/schemas'
import { canonicalJson, sha256, type UserRecord } from '../store/store'
import { codeIdOf, generateAccessCode, generateSmsCode, hashAccessCode } from './credentials'
import type { DeskService } from './desk-service'
import { DeskError, forbidden, notFound } from './errors'
import { atLeast, type Principal } from './principal'

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
const WINDOW_KEY = 'intake.window'
const PHOTO_QUOTA_KEY = 'intake.photoQuota'
const MB = 1024 * 1024
const PHOTO_FILE = /^[a-f0-9]{64}\.(jpg|png|webp)$/
/** An upload's bytes waiting for the writer's verdict: `.<photo file>.<uuid>.tmp`. */
const PHOTO_TEMP = /^\.[a-f0-9]{64}\.(jpg|png|webp)\.[0-9a-f-]{36}\.tmp$/
const PHONE = /^\+?[0-9 ()-]*$/
const MAX_IMPORT_ROWS = 2000

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp'
const EXTENSION: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }
export const PHOTO_TYPE_OF_EXTENSION: Record<string, PhotoType> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/**
 * What an uploaded file really is, from its first bytes — never from its name or Content-Type,
 * which a client chooses freely. Only the three formats phones produce are accepted.
 */
export function imageTypeOf(bytes: Buffer): PhotoType | null {
  if (bytes.length < 16) return null
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (bytes.subarray(0, 8).equals(png) && bytes.toString('latin1', 12, 16) === 'IHDR') return 'image/png'
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP' && bytes.toString('latin1', 12, 15) === 'VP8') {
    return 'image/webp'
  }
  return null
}

// ---------------------------------------------------------------- photo quota

/**
 * How much one reporter's code may store as photos, so that one phone (or a stolen code) cannot
 * fill the desk's disk. Sized from the reporter's own work: their region's TPS times the contests.
 * Operators and up are not limited (desk staff, on desk machines). perPlace 0 switches that limit
 * off; the total is off only when both MB values are 0 (one 0 just adds nothing to it).
 */
export interface PhotoQuota {
  /** Photos per reporter for one place: a TPS and contest (a C.Hasil sheet), a TPS, or a desa. */
  perPlace: number
  /** MB per C.Hasil sheet (TPS × contest) of the reporter's region, toward their total. */
  mbPerSheet: number
  /** MB on top of that: desa photos for incidents, a region whose TPS are not imported yet. */
  mbBase: number
}

/**
 * A C.Hasil sheet is 1–3 photos (the plano in parts, a retake); the phone shrinks each to a few
 * hundred KB, and a phone that cannot sends up to 5 MB. 10 per place and 10 MB per sheet leave
 * honest use far from the limit; a desa of 28 TPS with 2 contests gets 660 MB, not the whole disk.
 */
export const DEFAULT_PHOTO_QUOTA: PhotoQuota = { perPlace: 10, mbPerSheet: 10, mbBase: 100 }

export const PHOTO_QUOTA_ENV: Record<keyof PhotoQuota, string> = {
  perPlace: 'DESK_PHOTO_PER_PLACE',
  mbPerSheet: 'DESK_PHOTO_MB_PER_SHEET',
  mbBase: 'DESK_PHOTO_MB_BASE',
}

const QUOTA_MAX = 1_000_000

/**
 * What 0 means for one value, in messages naming the values as the reader wrote them (JSON
 * fields or environment variables). A single MB value of 0 does not lift the total.
 */
export function photoQuotaZeroMeaning(key: keyof PhotoQuota, nameOf: (k: keyof PhotoQuota) => string = (k) => k): string {
  if (key === 'perPlace') return '0 = tanpa batas'
  const other = key === 'mbBase' ? 'mbPerSheet' : 'mbBase'
  return `0 = tanpa tambahan ini; batas total mati hanya bila ${nameOf(key)} dan ${nameOf(other)} keduanya 0`
}

/** The quota from environment variables over the defaults; a bad value stops the desk with the variable named. */
export function photoQuotaFromEnv(env: Record<string, string | undefined>): PhotoQuota {
  const quota = { ...DEFAULT_PHOTO_QUOTA }
  for (const key of Object.keys(PHOTO_QUOTA_ENV) as (keyof PhotoQuota)[]) {
    const raw = env[PHOTO_QUOTA_ENV[key]]?.trim()
    if (raw === undefined || raw === '') continue
    const n = Number(raw)
    if (!/^[0-9]+$/.test(raw) || n > QUOTA_MAX) {
      const zero = photoQuotaZeroMeaning(key, (k) => PHOTO_QUOTA_ENV[k])
      throw new Error(`${PHOTO_QUOTA_ENV[key]}="${raw}" tidak sah: harus bilangan bulat 0–${QUOTA_MAX} (${zero})`)
    }
    quota[key] = n
  }
  return quota
}

export interface PhotoQuotaDto extends PhotoQuota {
  source: 'admin' | 'env' | 'default'
  /** A reporter's own use: bytes stored, and their limit (null: no total limit). */
  mine?: { bytes: number; limitBytes: number | null }
}

/**
 * Make a rename in `dir` durable. After the commit, before the answer: a power cut in between
 * leaves a row without its file, and the phone, unanswered, resends the photo, which puts it back.
 * Windows cannot open a folder for fsync (NTFS journals the rename itself): nothing to do there.
 */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null)
  if (!fh) return
  await fh.sync().catch(() => {})
  await fh.close().catch(() => {})
}

const mbFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 })
const mb = (bytes: number) => mbFormat.format(bytes / MB)

// ---------------------------------------------------------------- reporter list import

const HEADER_ALIASES: Record<'name' | 'phone' | 'role' | 'region', string[]> = {
  name: ['nama', 'name', 'nama_lengkap', 'nama_pelapor'],
  phone: ['hp', 'no_hp', 'nomor_hp', 'telepon', 'telp', 'no_telp', 'nomor_telepon', 'phone'],
  role: ['peran', 'role'],
  region: ['kode_wilayah', 'wilayah', 'kode_desa', 'kode', 'region', 'region_code'],
}

const ROLE_ALIASES: Record<string, Role> = {
  '': 'reporter',
  pelapor: 'reporter',
  reporter: 'reporter',
  operator: 'operator',
  supervisor: 'supervisor',
  display: 'display',
  tampilan: 'display',
  layar: 'display',
}

export interface UserImportRow {
  row: number
  name: string
  phone: string
  role: Role
  region: string
}

interface RegionIndex {
  regency: { code: string; name: string }
  contains(code: string): boolean
}

/**
 * Validate a reporter list (header row + rows; columns nama, hp, peran, kode_wilayah). All or
 * nothing, like the TPS import: the caller creates people only when `errors` is empty.
 */
export function validateUserTable(
  table: string[][],
  regions: RegionIndex,
  existing: Pick<UserRecord, 'name' | 'role' | 'region' | 'revokedAt'>[] = [],
): { rows: UserImportRow[]; errors: RowError[] } {
  const errors: RowError[] = []
  const rows: UserImportRow[] = []
  const top = headerIndex(table)
  const header = (table[top] ?? []).map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'))
  const col: Partial<Record<keyof typeof HEADER_ALIASES, number>> = {}
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [keyof typeof HEADER_ALIASES, string[]][]) {
    const i = header.findIndex((h) => aliases.includes(h))
    if (i >= 0) col[field] = i
  }
  if (col.name === undefined || col.region === undefined) {
    errors.push({
      row: top + 1,
      message:
        'Baris pertama harus berisi judul kolom: nama, hp, peran, kode_wilayah (nama dan kode_wilayah wajib; peran kosong berarti pelapor)',
    })
    return { rows, errors }
  }
  if (table.length - top - 1 > MAX_IMPORT_ROWS) {
    errors.push({ row: top + 1, message: `Paling banyak ${MAX_IMPORT_ROWS} orang per impor` })
    return { rows, errors }
  }
  const cell = (r: string[], field: keyof typeof HEADER_ALIASES) => {
    const i = col[field]
    return i === undefined ? '' : (r[i] ?? '').trim()
  }
  const key = (name: string, role: string, region: string) => `${name.toLowerCase().replace(/\s+/g, ' ')}|${role}|${region}`
  const active = new Set(existing.filter((u) => !u.revokedAt).map((u) => key(u.name, u.role, u.region)))
  const seen = new Map<string, number>()
  for (let i = top + 1; i < table.length; i++) {
    const r = table[i]!
    const rowNo = i + 1
    if (r.every((c) => c.trim() === '')) continue
    const rowErrors: RowError[] = []
    const name = cell(r, 'name')
    if (name === '') rowErrors.push({ row: rowNo, column: 'nama', message: 'nama wajib diisi' })
    else if (name.length > 120) rowErrors.push({ row: rowNo, column: 'nama', message: 'nama paling panjang 120 karakter' })
    const phone = cell(r, 'phone')
    if (phone.length > 30 || !PHONE.test(phone)) {
      rowErrors.push({ row: rowNo, column: 'hp', message: `hp "${phone}" hanya boleh angka, spasi, +, -, ( dan ) (paling panjang 30)` })
    }
    const roleRaw = cell(r, 'role').toLowerCase()
    const role = ROLE_ALIASES[roleRaw]
    if (!role) {
      rowErrors.push({
        row: rowNo,
        column: 'peran',
        message: `peran "${cell(r, 'role')}" tidak dikenal: pakai pelapor, operator, supervisor atau display`,
      })
    }
    let region = cell(r, 'region')
    if (role === 'reporter') {
      const level = regionLevel(region)
      if (region === '') {
        rowErrors.push({ row: rowNo, column: 'kode_wilayah', message: 'kode_wilayah wajib diisi untuk pelapor (kode desa/kelurahan atau kecamatan)' })
      } else if (!regions.contains(region) || (level !== 'desa' && level !== 'kecamatan')) {
        rowErrors.push({
          row: rowNo,
          column: 'kode_wilayah',
          message: `kode_wilayah ${region} bukan desa/kelurahan atau kecamatan di ${regions.regency.name}`,
        })
      }
    } else if (role) {
      if (region === '') region = regions.regency.code
      else if (!regions.contains(region)) {
        rowErrors.push({ row: rowNo, column: 'kode_wilayah', message: `kode_wilayah ${region} tidak ada di ${regions.regency.name}` })
      }
    }
    if (rowErrors.length === 0 && role) {
      const k = key(name, role, region)
      const first = seen.get(k)
      if (first !== undefined) {
        rowErrors.push({ row: rowNo, column: 'nama', message: `${name} (${region}) ganda: sudah ada di baris ${first}` })
      } else if (active.has(k)) {
        rowErrors.push({
          row: rowNo,
          column: 'nama',
          message: `${name} (${region}) sudah terdaftar. Untuk kode baru pakai "terbitkan ulang", bukan impor ulang.`,
        })
      } else {
        seen.set(k, rowNo)
      }
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors)
      continue
    }
    rows.push({ row: rowNo, name, phone, role: role!, region })
  }
  if (rows.length === 0 && errors.length === 0) errors.push({ row: top + 2, message: 'Berkas tidak berisi satu orang pun' })
  return { rows, errors }
}

// ---------------------------------------------------------------- the service

interface IncidentRow {
  id: number
  at: string
  reporter: string
  region: string
  tps: string | null
  category: IncidentDto['category']
  urgency: IncidentDto['urgency']
  text: string
  photo: string | null
  status: IncidentDto['status']
  simulated: number
}

interface PhotoRow {
  id: number
  file: string
  type: string
  bytes: number
  region: string
  tps: string | null
  contest: string | null
  actor: string
  at: string
  simulated: number
}

interface VerificationRow {
  desa: string
  status: 'verified' | 'flagged'
  note: string | null
  actor: string
  at: string
  /**
   * A fingerprint of the desa's standing numbers when the mark was made (see standingOf). The
   * column once held a row count, which a correction or a supervisor's decision leaves unchanged.
   */
  results: number
}

interface StandingRow {
  tps: string
  contest: string
  votes: string
  valid: number
  invalid: number
  review: string
}

const lower = (code: string) => `${code}.`
const upper = (code: string) => `${code}/` // '/' sorts right after '.': every child code lies in [code., code/)

/**
 * Field intake over the desk: the reporter list import, the reporters' sign-in window, the per-TPS
 * state a reporter's phone shows, evidence photos, incident reports and the kecamatan officers'
 * verification. Writes go through the desk's single writer; events are published after commit.
 */
export class IntakeService {
  private readonly s
  /** The quota when the admin has not set one (defaults, or the DESK_PHOTO_* variables). */
  readonly defaultPhotoQuota: PhotoQuota

  constructor(
    readonly desk: DeskService,
    env: Record<string, string | undefined> = process.env,
  ) {
    this.defaultPhotoQuota = photoQuotaFromEnv(env)
    this.sweepPhotoTemps()
    const p = (sql: string) => desk.store.db.prepare(sql)
    this.s = {
      resultsUnder: p('SELECT tps, contest, review FROM results WHERE tps >= ? AND tps < ?'),
      conflictsUnder: p("SELECT tps, contest, kind FROM conflicts WHERE status = 'open' AND tps >= ? AND tps < ?"),
      standingUnder: p('SELECT tps, contest, votes, valid, invalid, review FROM results WHERE tps >= ? AND tps < ? ORDER BY tps, contest'),
      insertIncident: p(`INSERT INTO incidents (at, reporter, region, tps, category, urgency, text, photo, simulated)
        VALUES (@at, @reporter, @region, @tps, @category, @urgency, @text, @photo, @simulated)`),
      incidentById: p('SELECT * FROM incidents WHERE id = ?'),
      listIncidents: p(`SELECT * FROM incidents WHERE (@status IS NULL OR status = @status) AND id > @after
        AND (@reporter IS NULL OR reporter = @reporter) ORDER BY id DESC LIMIT @limit`),
      setIncidentStatus: p('UPDATE incidents SET status = ? WHERE id = ?'),
      setIncidentPhoto: p('UPDATE incidents SET photo = ? WHERE id = ? AND photo IS NULL'),
      findIncidentSubmission: p('SELECT incident, hash FROM incident_submissions WHERE actor = ? AND submission_id = ?'),
      insertIncidentSubmission: p('INSERT INTO incident_submissions (actor, submission_id, incident, hash) VALUES (?, ?, ?, ?)'),
      insertPhoto: p(`INSERT OR IGNORE INTO photos (file, type, bytes, region, tps, contest, actor, at, simulated)
        VALUES (@file, @type, @bytes, @region, @tps, @contest, @actor, @at, @simulated)`),
      photoByFile: p('SELECT * FROM photos WHERE file = ? ORDER BY id LIMIT 1'),
      photosForTps: p('SELECT * FROM photos WHERE tps = ? ORDER BY id'),
      photosUnder: p('SELECT * FROM photos WHERE (region >= ? AND region < ?) OR region = ? ORDER BY id'),
      photoExact: p("SELECT * FROM photos WHERE file = ? AND region = ? AND coalesce(tps, '') = ? AND coalesce(contest, '') = ?"),
      // Quota reads, on the photos_by_tps index: a reporter's photos all lie inside their region.
      photosAtPlace: p('SELECT count(*) AS n FROM photos WHERE tps IS @tps AND contest IS @contest AND region = @region AND actor = @actor'),
      photoBytesOf: p(`SELECT coalesce(sum(bytes), 0) AS n FROM (SELECT DISTINCT file, bytes FROM photos WHERE actor = @actor
        AND ((tps >= @lo AND tps < @hi) OR (tps IS NULL AND (region = @region OR (region >= @lo AND region < @hi)))))`),
      actorHasFile: p('SELECT 1 FROM photos WHERE file = ? AND actor = ? LIMIT 1'),
      countTpsUnder: p('SELECT count(*) AS n FROM tps WHERE code >= ? AND code < ?'),
      upsertVerification: p(`INSERT INTO desa_verifications (desa, status, note, actor, at, results) VALUES (@desa, @status, @note, @actor, @at, @results)
        ON CONFLICT (desa) DO UPDATE SET status = excluded.status, note = excluded.note, actor = excluded.actor, at = excluded.at, results = excluded.results`),
      verificationsUnder: p('SELECT * FROM desa_verifications WHERE desa >= ? AND desa < ?'),
      verificationOf: p('SELECT * FROM desa_verifications WHERE desa = ?'),
    }
  }

  private get store() {
    return this.desk.store
  }

  private get regions() {
    return this.desk.regions
  }

  regionRef(code: string): RegionRefDto {
    const r = this.regions.get(code)
    const level = regionLevel(code)
    return {
      code,
      name: r?.name ?? code,
      level: level === 'kecamatan' || level === 'desa' ? level : 'kabupaten',
    }
  }

  private nameOf(actor: string): string {
    if (actor === 'admin') return 'Admin'
    return this.store.userById(actor)?.name ?? actor
  }

  // ---------------------------------------------------------------- sign-in window
  signInWindow(): SignInWindowDto {
    const raw = this.store.getMeta(WINDOW_KEY)
    const w = raw ? (JSON.parse(raw) as SignInWindow) : { opensAt: null, closesAt: null }
    const now = Date.parse(this.store.nowIso())
    const open = (!w.opensAt || now >= Date.parse(w.opensAt)) && (!w.closesAt || now < Date.parse(w.closesAt))
    return { opensAt: w.opensAt, closesAt: w.closesAt, open }
  }

  async setSignInWindow(actor: Principal, w: SignInWindow): Promise<SignInWindowDto> {
    const value = { opensAt: w.opensAt ? new Date(w.opensAt).toISOString() : null, closesAt: w.closesAt ? new Date(w.closesAt).toISOString() : null }
    await this.desk.write(() => {
      this.store.setMeta(WINDOW_KEY, JSON.stringify(value))
      this.store.audit(actor.id, 'intake.window', null, value)
      this.store.appendEvent('intake.window', value)
    })
    return this.signInWindow()
  }

  /** Refuses a reporter outside the admin-set window. Stops a leaked code being used days later. */
  assertReporterWindow(): void {
    const w = this.signInWindow()
    if (w.open) return
    const now = Date.parse(this.store.nowIso())
    if (w.opensAt && now < Date.parse(w.opensAt)) {
      throw new DeskError(
        403,
        'outside_window',
        `Formulir lapor baru dibuka ${formatDateTimeWib(w.opensAt)}${w.closesAt ? ` sampai ${formatDateTimeWib(w.closesAt)}` : ''}. Laporan di HP tetap tersimpan.`,
      )
    }
    throw new DeskError(
      403,
      'outside_window',
      `Formulir lapor sudah ditutup sejak ${formatDateTimeWib(w.closesAt!)}. Hubungi desk bila masih ada laporan.`,
    )
  }

  // ---------------------------------------------------------------- reporter list
  async importUsers(actor: Principal, table: string[][], options: { simulated?: boolean } = {}): Promise<UserImportAnswer> {
    const { rows, errors } = validateUserTable(table, this.regions, this.store.listUsers())
    if (errors.length > 0) return { imported: 0, users: [], errors }
    // Codes and their scrypt hashes are made outside the writer: scrypt is slow on purpose.
    const codes: string[] = []
    const taken = new Set<string>()
    for (let i = 0; i < rows.length; i++) {
      let code = generateAccessCode()
      while (taken.has(codeIdOf(code)) || this.store.userByCodeId(codeIdOf(code))) code = generateAccessCode()
      taken.add(codeIdOf(code))
      codes.push(code)
    }
    const hashes: string[] = []
    for (let i = 0; i < codes.length; i += 8) {
      hashes.push(...(await Promise.all(codes.slice(i, i + 8).map((c) => hashAccessCode(c)))))
    }
    // Each person's SMS code (issue 15), issued with the access code and stored only hashed.
    const smsCodes = rows.map(() => generateSmsCode())
    const smsHashes: string[] = []
    for (let i = 0; i < smsCodes.length; i += 8) {
      smsHashes.push(...(await Promise.all(smsCodes.slice(i, i + 8).map((c) => hashAccessCode(c)))))
    }
    const createdAt = this.store.nowIso()
    const users: UserRecord[] = rows.map((r, i) => ({
      id: randomUUID(),
      name: r.name,
      phone: r.phone,
      role: r.role,
      region: r.region,
      codeId: codeIdOf(codes[i]!),
      codeHash: hashes[i]!,
      simulated: !!options.simulated,
      createdAt,
      revokedAt: null,
    }))
    await this.desk.write(() => {
      for (const u of users) {
        if (this.store.userByCodeId(u.codeId)) throw new DeskError(503, 'retry', 'Bentrok kode akses; ulangi impor (tidak ada yang tersimpan)')
      }
      for (const u of users) {
        this.store.insertUser(u)
        this.desk.smsStore.setCode(u.id, smsHashes[users.indexOf(u)]!, createdAt)
        this.store.audit(actor.id, 'user.create', u.id, { role: u.role, region: u.region, simulated: u.simulated, via: 'import' })
      }
      this.store.audit(actor.id, 'user.import', null, { count: users.length, simulated: !!options.simulated })
      this.store.appendEvent('users.imported', { count: users.length })
    })
    const out: ImportedUserDto[] = users.map((u, i) => ({
      id: u.id,
      name: u.name,
      phone: u.phone,
      role: u.role,
      region: u.region,
      regionName: this.regions.get(u.region)?.name ?? u.region,
      accessCode: codes[i]!,
      smsCode: smsCodes[i]!,
    }))
    return { imported: out.length, users: out, errors: [] }
  }

  // ---------------------------------------------------------------- TPS list with per-contest state
  /** The scope a principal may look at: a reporter their own region (or a part of it), others what they ask for. */
  private scopeFor(p: Principal, region: string | undefined): string {
    if (region !== undefined) {
      const level = regionLevel(region)
      if (!this.regions.contains(region) || (level !== 'desa' && level !== 'kecamatan')) {
        throw new DeskError(400, 'invalid', `Wilayah ${region} bukan desa/kelurahan atau kecamatan di ${this.regions.regency.name}`, {
          region: 'Kode desa atau kecamatan tidak dikenal',
        })
      }
    }
    if (p.role === 'reporter') {
      if (region === undefined) return p.region
      if (!isWithin(region, p.region)) throw forbidden('Wilayah itu di luar wilayah tugas Anda')
      return region
    }
    if (region === undefined) {
      throw new DeskError(400, 'invalid', 'Sebutkan wilayah: ?region=KODE desa atau kecamatan', { region: 'Wajib diisi' })
    }
    return region
  }

  tpsStates(p: Principal, region?: string): IntakeTpsListDto {
    const scope = this.scopeFor(p, region)
    const contests = this.desk.contests()
    const results = this.s.resultsUnder.all(lower(scope), upper(scope)) as { tps: string; contest: string; review: string }[]
    const conflicts = this.s.conflictsUnder.all(lower(scope), upper(scope)) as { tps: string; contest: string; kind: 'conflict' | 'correction' }[]
    const state = new Map<string, { state: IntakeContestState; reason?: 'conflict' | 'correction' | 'flagged' }>()
    for (const r of results) {
      state.set(`${r.tps}|${r.contest}`, r.review === 'flagged' ? { state: 'perlu_dicek', reason: 'flagged' } : { state: 'diterima' })
    }
    for (const c of conflicts) state.set(`${c.tps}|${c.contest}`, { state: 'perlu_dicek', reason: c.kind })
    const desaCodes = regionLevel(scope) === 'desa' ? [scope] : this.regions.childrenOf(scope).map((d) => d.code)
    const verifications = this.verificationsUnder(scope, p)
    return {
      region: this.regionRef(scope),
      desa: desaCodes.map((code) => ({ code, name: this.regions.get(code)?.name ?? code, verification: verifications.get(code) ?? null })),
      tps: this.desk.listTps(scope).map((t) => ({
        code: t.code,
        desa: t.desa,
        number: t.number,
        dpt: t.dpt,
        location: t.location,
        status: t.status,
        statusReason: t.statusReason,
        contests: Object.fromEntries(contests.map((c) => [c.id, state.get(`${t.code}|${c.id}`) ?? { state: 'belum' as const }])),
      })),
    }
  }

  // ---------------------------------------------------------------- kecamatan verification
  /**
   * The desa's standing results and a fingerprint of their numbers (48 bits of a SHA-256, an exact
   * integer in JS and SQLite). Any new TPS result, correction or supervisor decision that changes a
   * vote, valid or invalid count changes it — even one that brings back an older submission, which
   * neither the row count nor the highest submission number would notice.
   */
  private standingOf(desa: string): { rows: StandingRow[]; fingerprint: number } {
    const rows = this.s.standingUnder.all(lower(desa), upper(desa)) as StandingRow[]
    const numbers = rows.map((r) => [r.tps, r.contest, JSON.parse(r.votes) as unknown, r.valid, r.invalid])
    return { rows, fingerprint: parseInt(sha256(canonicalJson(numbers)).slice(0, 12), 16) }
  }

  private verificationDto(v: VerificationRow, withActor: boolean): DesaVerificationDto {
    return {
      status: v.status,
      note: v.note,
      at: v.at,
      ...(withActor ? { by: { id: v.actor, name: this.nameOf(v.actor) } } : {}),
      stale: this.standingOf(v.desa).fingerprint !== v.results,
    }
  }

  private verificationsUnder(scope: string, p: Principal): Map<string, DesaVerificationDto> {
    const withActor = p.role !== 'display'
    const rows = (
      regionLevel(scope) === 'desa'
        ? [this.s.verificationOf.get(scope)].filter(Boolean)
        : this.s.verificationsUnder.all(lower(scope), upper(scope))
    ) as VerificationRow[]
    return new Map(rows.map((v) => [v.desa, this.verificationDto(v, withActor)]))
  }

  /** The mark on a desa (for the console's review screens), or null. */
  verificationOf(desa: string): DesaVerificationDto | null {
    const v = this.s.verificationOf.get(desa) as VerificationRow | undefined
    return v ? this.verificationDto(v, true) : null
  }

  verificationList(p: Principal, kecamatan?: string): VerificationListDto {
    let scope = kecamatan
    if (p.role === 'reporter') {
      if (regionLevel(p.region) !== 'kecamatan') throw forbidden('Hanya petugas kecamatan yang memverifikasi hasil desa')
      if (scope !== undefined && scope !== p.region) throw forbidden('Kecamatan itu di luar wilayah tugas Anda')
      scope = p.region
    }
    if (scope !== undefined && (!this.regions.contains(scope) || regionLevel(scope) !== 'kecamatan')) {
      throw new DeskError(400, 'invalid', `Kecamatan ${scope} tidak dikenal`, { kecamatan: 'Kode kecamatan tidak dikenal' })
    }
    const kecamatanList = scope ? [this.regions.get(scope)!] : this.regions.kecamatan
    const contests = this.desk.contests()
    const rows: VerificationRowDto[] = []
    for (const k of kecamatanList) {
      const allTps = this.desk.listTps(k.code)
      const tps = allTps.filter((t) => t.status === 'active')
      const results = (scope ? this.s.standingUnder : this.s.resultsUnder).all(lower(k.code), upper(k.code)) as StandingRow[]
      const conflicts = this.s.conflictsUnder.all(lower(k.code), upper(k.code)) as { tps: string; contest: string }[]
      const verifications = this.verificationsUnder(k.code, p)
      const desaOf = (tpsCode: string) => tpsCode.slice(0, tpsCode.lastIndexOf('.'))
      for (const d of this.regions.childrenOf(k.code)) {
        const perContest: VerificationRowDto['contests'] = {}
        const openOf = new Map<string, Set<string>>()
        for (const c of contests) {
          const here = results.filter((r) => r.contest === c.id && desaOf(r.tps) === d.code)
          const open = new Set(conflicts.filter((x) => x.contest === c.id && desaOf(x.tps) === d.code).map((x) => x.tps))
          for (const r of here) if (r.review === 'flagged') open.add(r.tps)
          perContest[c.id] = { reported: here.length, needsCheck: open.size }
          openOf.set(c.id, open)
        }
        // The officer checks numbers against the C.Hasil copies: one kecamatan's list carries them.
        const standing: VerificationTpsDto[] | undefined = scope
          ? allTps
              .filter((t) => t.desa === d.code)
              .map((t) => ({
                code: t.code,
                number: t.number,
                status: t.status,
                contests: Object.fromEntries(
                  contests.map((c) => {
                    const r = results.find((x) => x.tps === t.code && x.contest === c.id)
                    return [
                      c.id,
                      r
                        ? { votes: JSON.parse(r.votes) as Record<string, number>, valid: r.valid, invalid: r.invalid, needsCheck: openOf.get(c.id)!.has(t.code) }
                        : null,
                    ]
                  }),
                ),
              }))
          : undefined
        rows.push({
          desa: d.code,
          name: d.name,
          kecamatan: k.code,
          tpsActive: tps.filter((t) => t.desa === d.code).length,
          contests: perContest,
          verification: verifications.get(d.code) ?? null,
          ...(standing ? { tps: standing } : {}),
        })
      }
    }
    const only = scope ? this.regions.get(scope)! : null
    return { kecamatan: only ? { code: only.code, name: only.name } : null, rows }
  }

  async markDesa(p: Principal, desa: string, mark: VerificationMark): Promise<DesaVerificationDto> {
    if (!this.regions.contains(desa) || !this.regions.isDesa(desa)) throw notFound(`Desa ${desa} tidak dikenal`)
    if (p.role === 'reporter') {
      if (regionLevel(p.region) !== 'kecamatan') throw forbidden('Hanya petugas kecamatan yang memverifikasi hasil desa')
      if (!isWithin(desa, p.region)) throw forbidden('Desa itu di luar kecamatan Anda')
    } else if (!atLeast(p, 'supervisor')) {
      throw forbidden('Hanya petugas kecamatan, supervisor atau admin yang memverifikasi hasil desa')
    }
    const note = mark.note && mark.note.length > 0 ? mark.note : null
    const row = await this.desk.write(() => {
      const standing = this.standingOf(desa)
      const results = standing.rows.length
      if (results === 0) {
        throw new DeskError(409, 'no_results', `Belum ada hasil TPS dari ${this.regions.get(desa)!.name}; belum ada yang bisa diverifikasi`)
      }
      const v: VerificationRow = { desa, status: mark.status, note, actor: p.id, at: this.store.nowIso(), results: standing.fingerprint }
      this.s.upsertVerification.run(v)
      this.store.audit(p.id, 'desa.verification', desa, { status: mark.status, note, results })
      this.store.appendEvent('verification.changed', {
        desa,
        kecamatan: desa.slice(0, desa.lastIndexOf('.')),
        status: mark.status,
        note,
        at: v.at,
        by: p.id,
        results,
      })
      return v
    })
    return this.verificationDto(row, true)
  }

  // ---------------------------------------------------------------- photos
  /** Where a reporter's report about a TPS or desa belongs, checked against what they may touch. */
  private placeFor(p: Principal, target: { tps?: string; region?: string }): { region: string; tps: string | null } {
    let region: string
    let tps: string | null = null
    if (target.tps) {
      const t = this.store.getTps(target.tps)
      if (!t) throw new DeskError(404, 'not_found', `TPS ${target.tps} tidak terdaftar`, { tps: 'TPS tidak terdaftar' })
      if (target.region && target.region !== t.desa) {
        throw new DeskError(400, 'invalid', `TPS ${t.code} bukan di desa ${target.region}`, { region: 'Tidak cocok dengan TPS' })
      }
      tps = t.code
      region = t.desa
    } else if (target.region) {
      if (!this.regions.contains(target.region) || !this.regions.isDesa(target.region)) {
        throw new DeskError(400, 'invalid', `Desa ${target.region} tidak dikenal`, { region: 'Kode desa/kelurahan tidak dikenal' })
      }
      region = target.region
    } else if (p.role === 'reporter' && regionLevel(p.region) === 'desa') {
      region = p.region
    } else {
      throw new DeskError(400, 'invalid', 'Pilih TPS atau desa tempat kejadian', { tps: 'Pilih TPS atau desa', region: 'Pilih TPS atau desa' })
    }
    if (p.role === 'reporter' && !isWithin(region, p.region)) {
      throw new DeskError(403, 'forbidden', `${tps ? `TPS ${tps}` : `Desa ${region}`} di luar wilayah tugas Anda (${p.region})`, {
        [tps ? 'tps' : 'region']: 'Di luar wilayah tugas',
      })
    }
    return { region, tps }
  }

  private simulatedFor(p: Principal, asked: boolean): boolean {
    const user = p.id === 'admin' ? undefined : this.store.userById(p.id)
    return !!user?.simulated || (asked && atLeast(p, 'operator'))
  }

  /** The quota in force: the admin's (kept in the database), else the defaults or DESK_PHOTO_* variables. */
  photoQuota(): PhotoQuotaDto {
    const raw = this.store.getMeta(PHOTO_QUOTA_KEY)
    if (raw) return { ...(JSON.parse(raw) as PhotoQuota), source: 'admin' }
    const q = this.defaultPhotoQuota
    const fromEnv = (Object.keys(q) as (keyof PhotoQuota)[]).some((k) => q[k] !== DEFAULT_PHOTO_QUOTA[k])
    return { ...q, source: fromEnv ? 'env' : 'default' }
  }

  /** The admin raises (or lowers) the quota during the night, without restarting the desk; null goes back to the default. */
  async setPhotoQuota(actor: Principal, quota: PhotoQuota | null): Promise<PhotoQuotaDto> {
    const value = quota ? { perPlace: quota.perPlace, mbPerSheet: quota.mbPerSheet, mbBase: quota.mbBase } : null
    await this.desk.write(() => {
      // An empty value reads as "not set" (photoQuota tests for a non-empty string).
      this.store.setMeta(PHOTO_QUOTA_KEY, value ? JSON.stringify(value) : '')
      this.store.audit(actor.id, 'intake.photoQuota', null, value ?? { reset: true })
      this.store.appendEvent('intake.photoQuota', value ?? { reset: true })
    })
    return this.photoQuota()
  }

  /** The quota, and for a reporter what they have used of it. */
  photoQuotaView(p: Principal): PhotoQuotaDto {
    const q = this.photoQuota()
    if (p.role !== 'reporter') return q
    const limit = this.photoBytesLimit(p, q)
    return { ...q, mine: { bytes: this.photoBytesOf(p), limitBytes: limit } }
  }

  private photoBytesLimit(p: Principal, q: PhotoQuota): number | null {
    if (q.mbPerSheet === 0 && q.mbBase === 0) return null
    const tps = (this.s.countTpsUnder.get(lower(p.region), upper(p.region)) as { n: number }).n
    const sheets = tps * Math.max(1, this.desk.contests().length)
    return (q.mbBase + q.mbPerSheet * sheets) * MB
  }

  private photoBytesOf(p: Principal): number {
    return (this.s.photoBytesOf.get({ actor: p.id, region: p.region, lo: lower(p.region), hi: upper(p.region) }) as { n: number }).n
  }

  /**
   * Why this reporter may not keep one more photo here, or null. A photo already stored for the
   * same place is never refused: a phone resending it after a lost answer gets its 200. 413, not
   * 429: the phone's outbox retries a 429 for ever, while a 413 stays on the phone, shown, unsent.
   */
  private photoQuotaRefusal(
    p: Principal,
    file: string,
    size: number,
    place: { region: string; tps: string | null },
    contest: string | null,
  ): DeskError | null {
    if (p.role !== 'reporter') return null
    if (this.s.photoExact.get(file, place.region, place.tps ?? '', contest ?? '')) return null
    const q = this.photoQuota()
    const keep = 'Foto yang sudah terkirim tetap tersimpan, dan hasil (angka) tetap bisa dikirim.'
    if (q.perPlace > 0) {
      const n = (this.s.photosAtPlace.get({ tps: place.tps, contest, region: place.region, actor: p.id }) as { n: number }).n
      if (n >= q.perPlace) {
        const contestName = contest ? this.desk.contest(contest)?.name : undefined
        const what = `${contestName ? `C.Hasil ${contestName} ` : ''}${this.placeName(place.region, place.tps)}`
        return new DeskError(
          413,
          'photo_quota',
          `Kuota foto penuh: sudah ${n} foto Anda untuk ${what}, paling banyak ${q.perPlace}. ${keep} Bila memang perlu foto lagi, hubungi desk.`,
          { file: `Kuota ${q.perPlace} foto untuk ${what} sudah penuh` },
        )
      }
    }
    const limit = this.photoBytesLimit(p, q)
    if (limit !== null) {
      const used = this.photoBytesOf(p)
      const adds = this.s.actorHasFile.get(file, p.id) ? 0 : size
      if (used + adds > limit) {
        return new DeskError(
          413,
          'photo_quota',
          `Kuota foto Anda penuh: ${mb(used)} dari ${mb(limit)} MB terpakai, foto ini ${mb(size)} MB. ${keep} Hubungi desk bila perlu kuota lebih.`,
          { file: `Kuota foto Anda (${mb(limit)} MB) sudah penuh` },
        )
      }
    }
    return null
  }

  /**
   * Temp files of uploads a crash interrupted: never pointed at by a row, never to be finished.
   * Safe at start: the data dir is locked to this one desk, and its uploads all pass through this
   * one service, created before the first of them.
   */
  private sweepPhotoTemps(): void {
    if (!this.desk.dataDir) return
    const dir = join(this.desk.dataDir, 'photos')
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return // no photos yet
    }
    for (const name of names) {
      if (!PHOTO_TEMP.test(name)) continue
      try {
        unlinkSync(join(dir, name))
      } catch {
        // gone already, or not ours to remove: it is never served or counted either way
      }
    }
  }

  private photosDir(): string {
    if (!this.desk.dataDir) throw new DeskError(503, 'no_storage', 'Desk ini tidak punya folder data untuk menyimpan foto')
    return join(this.desk.dataDir, 'photos')
  }

  /**
   * Keep an evidence photo. The file is named by its content hash and made durable (fsync, then
   * rename in the writer job that inserts its row) before that row commits, so an acknowledged
   * photo survives a power cut, a refused one leaves no file, and a resent upload lands on the same file.
   */
  async storePhoto(
    p: Principal,
    bytes: Buffer,
    target: { tps?: string; contest?: string; region?: string },
    options: { simulated?: boolean } = {},
  ): Promise<{ created: boolean; photo: PhotoDto }> {
    if (p.role === 'display') throw forbidden('Akun tampilan (display) tidak bisa mengirim foto')
    if (bytes.length > MAX_PHOTO_BYTES) throw new DeskError(413, 'too_large', 'Foto paling besar 5 MB. Perkecil fotonya lalu kirim lagi.')
    const type = imageTypeOf(bytes)
    if (!type) {
      throw new DeskError(415, 'bad_image', 'Berkas bukan foto JPEG, PNG atau WebP (isi berkas diperiksa, bukan namanya)', {
        file: 'Bukan foto JPEG, PNG atau WebP',
      })
    }
    const place = this.placeFor(p, target)
    let contest: string | null = null
    if (target.contest) {
      if (!place.tps) throw new DeskError(400, 'invalid', 'Foto untuk satu pemilihan harus menyebut TPS-nya', { tps: 'Wajib bersama contest' })
      if (!this.desk.contest(target.contest)) {
        throw new DeskError(404, 'not_found', `Pemilihan "${target.contest}" tidak dikenal`, { contest: 'Pemilihan tidak dikenal' })
      }
      contest = target.contest
    }
    const dir = this.photosDir()
    const file = `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSION[type]}`
    // Checked before anything is written (a refused photo costs no disk), and again in the writer,
    // where uploads are one at a time: a burst passes the first check together.
    const early = this.photoQuotaRefusal(p, file, bytes.length, place, contest)
    if (early) throw early
    const path = join(dir, file)
    // The bytes wait, fsynced, in a temp file of this upload alone; only the writer job that keeps
    // the photo moves them into place, so an upload refused there (or failing) leaves nothing behind.
    // A photo already on disk (a resend, the same picture elsewhere) is not written again.
    let tmp: string | null = null
    if (!existsSync(path)) {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      tmp = join(dir, `.${file}.${randomUUID()}.tmp`)
      const fh = await open(tmp, 'wx', 0o600)
      try {
        await fh.writeFile(bytes)
        await fh.sync()
      } catch (e) {
        await fh.close().catch(() => {})
        await unlink(tmp).catch(() => {})
        throw e
      }
      await fh.close()
    }
    const simulated = this.simulatedFor(p, !!options.simulated)
    let moved = false
    let created: boolean
    try {
      created = await this.desk.write(() => {
        const refusal = this.photoQuotaRefusal(p, file, bytes.length, place, contest)
        if (refusal) throw refusal
        const row = { file, type, bytes: bytes.length, region: place.region, tps: place.tps, contest, actor: p.id, at: this.store.nowIso(), simulated: simulated ? 1 : 0 }
        const inserted = this.s.insertPhoto.run(row).changes > 0
        if (inserted) {
          this.store.audit(p.id, 'photo.upload', place.tps ?? place.region, { file, contest, bytes: bytes.length })
          this.store.appendEvent('photo.added', { file, region: place.region, tps: place.tps, contest })
        }
        // Last, so a throw here rolls the row back with it. Same name, same content: a file already
        // in place stays (it may be open for an operator's eyes) and this upload's copy is dropped below.
        if (tmp && !existsSync(path)) {
          renameSync(tmp, path)
          tmp = null
          moved = true
        } else if (!tmp && !existsSync(path)) {
          // Present when this upload looked, removed since by the cleanup below: nothing to point at.
          throw new DeskError(503, 'retry', 'Foto belum tersimpan di desk. Kirim lagi.')
        }
        return inserted
      })
    } catch (e) {
      // The batch holding this job was rolled back after the file moved into place (a failed
      // commit): drop the file unless a row committed since points at it. In the writer, so no
      // upload of the same picture can count on the file between the look and the unlink.
      if (moved) {
        await this.desk
          .write(() => {
            if (!this.s.photoByFile.get(file)) unlinkSync(path)
          })
          .catch(() => {})
      }
      throw e
    } finally {
      // Refused, failed, or the same picture already in place: this upload's copy is not needed.
      if (tmp) await unlink(tmp).catch(() => {})
    }
    if (moved) await syncDir(dir)
    const row = this.s.photoExact.get(file, place.region, place.tps ?? '', contest ?? '') as PhotoRow
    return { created, photo: this.photoDto(row) }
  }

  /** "TPS 003 Padomasan", or the desa's name. */
  private placeName(region: string, tps: string | null): string {
    const tpsNo = tps ? `TPS ${tps.slice(tps.lastIndexOf('.') + 1)}` : null
    return `${tpsNo ? `${tpsNo} ` : ''}${this.regions.get(region)?.name ?? region}`
  }

  private photoDto(r: PhotoRow): PhotoDto {
    const contest = r.contest ? this.desk.contest(r.contest) : undefined
    const place = this.placeName(r.region, r.tps)
    return {
      file: r.file,
      url: `/api/v1/photos/${r.file}`,
      label: contest ? `C.Hasil ${contest.name} — ${place}` : `Foto — ${place}`,
      type: r.type,
      bytes: r.bytes,
      region: r.region,
      tps: r.tps,
      contest: r.contest,
      at: r.at,
      by: { id: r.actor, name: this.nameOf(r.actor) },
    }
  }

  /** Photos of a TPS (all contests), or of everything under a desa/kecamatan. */
  listPhotos(filter: { tps?: string; region?: string }): PhotoDto[] {
    if (filter.tps) return (this.s.photosForTps.all(filter.tps) as PhotoRow[]).map((r) => this.photoDto(r))
    if (filter.region) {
      return (this.s.photosUnder.all(lower(filter.region), upper(filter.region), filter.region) as PhotoRow[]).map((r) => this.photoDto(r))
    }
    throw new DeskError(400, 'invalid', 'Sebutkan ?tps=KODE atau ?region=KODE', { tps: 'Wajib salah satu' })
  }

  /** The stored file of a photo, for an operator's eyes. The name is checked so no path escapes the folder. */
  photoPath(file: string): { path: string; type: PhotoType } {
    if (!PHOTO_FILE.test(file) || !this.s.photoByFile.get(file)) throw notFound('Foto tidak ditemukan')
    const path = join(this.photosDir(), file)
    if (!existsSync(path)) throw notFound('Berkas foto tidak ada di folder data')
    return { path, type: PHOTO_TYPE_OF_EXTENSION[file.slice(file.lastIndexOf('.') + 1)]! }
  }

  // ---------------------------------------------------------------- incidents
  private incidentDto(r: IncidentRow, view: 'full' | 'own' | 'public'): IncidentDto {
    const dto: IncidentDto = {
      id: r.id,
      at: r.at,
      region: r.region,
      regionName: this.regions.get(r.region)?.name ?? r.region,
      tps: r.tps,
      category: r.category,
      urgency: r.urgency,
      text: r.text,
      status: r.status,
      simulated: r.simulated === 1,
      hasPhoto: r.photo !== null,
    }
    if (view === 'full') {
      const user = r.reporter === 'admin' ? undefined : this.store.userById(r.reporter)
      dto.reporter = { id: r.reporter, name: r.reporter === 'admin' ? 'Admin' : (user?.name ?? r.reporter), phone: user?.phone ?? '' }
      dto.photo = r.photo
    }
    return dto
  }

  /**
   * A photo an incident may point at: one stored on the desk, and for a reporter one they sent
   * themselves (a reporter cannot claim someone else's picture). Staff may link any stored photo.
   */
  private assertPhotoUsable(p: Principal, file: string): void {
    const stored = atLeast(p, 'operator') ? !!this.s.photoByFile.get(file) : !!this.s.actorHasFile.get(file, p.id)
    if (!stored) {
      throw new DeskError(400, 'invalid', 'Foto itu belum diunggah. Kirim fotonya dulu lewat POST /photos.', { photo: 'Foto tidak ditemukan' })
    }
  }

  async createIncident(
    p: Principal,
    body: IncidentCreate,
    options: { simulated?: boolean } = {},
  ): Promise<{ httpStatus: 200 | 201; id: number }> {
    if (p.role === 'display') throw forbidden('Akun tampilan (display) tidak bisa melaporkan kejadian')
    const place = this.placeFor(p, { ...(body.tps ? { tps: body.tps } : {}), ...(body.region ? { region: body.region } : {}) })
    if (body.photo) this.assertPhotoUsable(p, body.photo)
    const hash = sha256(canonicalJson(body))
    const simulated = this.simulatedFor(p, !!options.simulated)
    return this.desk.write(() => {
      if (body.submissionId) {
        const previous = this.s.findIncidentSubmission.get(p.id, body.submissionId) as { incident: number; hash: string } | undefined
        if (previous) {
          if (previous.hash !== hash) {
            throw new DeskError(409, 'submission_id_reused', 'submissionId ini sudah dipakai untuk laporan lain. Kirim dengan submissionId baru.', {
              submissionId: 'Sudah dipakai dengan isi berbeda',
            })
          }
          return { httpStatus: 200 as const, id: previous.incident }
        }
      }
      const at = this.store.nowIso()
      const id = Number(
        this.s.insertIncident.run({
          at,
          reporter: p.id,
          region: place.region,
          tps: place.tps,
          category: body.category,
          urgency: body.urgency,
          text: body.text,
          photo: body.photo ?? null,
          simulated: simulated ? 1 : 0,
        }).lastInsertRowid,
      )
      if (body.submissionId) this.s.insertIncidentSubmission.run(p.id, body.submissionId, id, hash)
      this.store.audit(p.id, 'incident.create', place.tps ?? place.region, { id, category: body.category, urgency: body.urgency })
      // No names or phone numbers in the event: every signed-in screen (boards too) receives it.
      this.store.appendEvent('incident.created', {
        id,
        at,
        region: place.region,
        regionName: this.regions.get(place.region)?.name ?? place.region,
        tps: place.tps,
        category: body.category,
        categoryLabel: INCIDENT_CATEGORY_LABELS[body.category],
        urgency: body.urgency,
        text: body.text,
        status: 'open',
        simulated,
        hasPhoto: !!body.photo,
      })
      return { httpStatus: 201 as const, id }
    })
  }

  /**
   * Evidence for the console's review screens (its EvidenceSource): the photos of a TPS's sheet
   * for a contest (and those of the TPS as a whole), and the kecamatan officer's mark on its desa.
   */
  evidenceSource(): {
    photos(tps: string, contest: string): { url: string; label: string }[]
    verification(tps: string): { status: string; note: string | null; at: string | null; actor: { id: string; name: string; role: string } | null } | null
  } {
    return {
      photos: (tps, contest) =>
        this.listPhotos({ tps })
          .filter((ph) => ph.contest === contest || ph.contest === null)
          .map((ph) => ({ url: ph.url, label: ph.label })),
      verification: (tps) => {
        const v = this.s.verificationOf.get(tps.slice(0, tps.lastIndexOf('.'))) as VerificationRow | undefined
        if (!v) return null
        const user = v.actor === 'admin' ? undefined : this.store.userById(v.actor)
        const dto = this.verificationDto(v, true)
        return {
          status: v.status === 'verified' ? (dto.stale ? 'terverifikasi kecamatan (sebelum hasil terbaru)' : 'terverifikasi kecamatan') : 'ditandai kecamatan',
          note: v.note,
          at: v.at,
          actor: { id: v.actor, name: this.nameOf(v.actor), role: user?.role ?? 'admin' },
        }
      },
    }
  }

  listIncidents(p: Principal, filter: { status?: 'open' | 'handled'; after?: number; limit?: number } = {}): IncidentDto[] {
    const view = atLeast(p, 'operator') ? 'full' : p.role === 'reporter' ? 'own' : 'public'
    const rows = this.s.listIncidents.all({
      status: filter.status ?? null,
      after: filter.after ?? 0,
      reporter: view === 'own' ? p.id : null,
      limit: Math.min(1000, Math.max(1, filter.limit ?? 200)),
    }) as IncidentRow[]
    return rows.map((r) => this.incidentDto(r, view))
  }

  /**
   * Link a photo to an incident sent without one: the phone delivers an incident's text at once
   * and its photo later when the desk first refused it (photo quota full, raised afterwards). Only
   * the reporter who made the incident, or staff. An incident keeps one photo: the same one again
   * is a resend (200, nothing changes); a different one is refused (409), never swapped silently.
   */
  async attachIncidentPhoto(p: Principal, id: number, file: string): Promise<{ outcome: 'attached' | 'duplicate'; incident: IncidentDto }> {
    if (p.role === 'display') throw forbidden('Akun tampilan (display) tidak bisa mengirim foto')
    const staff = atLeast(p, 'operator')
    const owned = (row: IncidentRow | undefined): IncidentRow => {
      if (!row) throw notFound(`Kejadian #${id} tidak ditemukan`)
      if (!staff && row.reporter !== p.id) throw forbidden(`Kejadian #${id} dilaporkan orang lain: hanya pelapornya atau operator desk yang boleh menambah foto`)
      return row
    }
    const conflict = () =>
      new DeskError(
        409,
        'photo_exists',
        `Kejadian #${id} sudah punya foto lain. Satu kejadian hanya satu foto; kirim foto tambahan sebagai laporan kejadian baru.`,
        { photo: 'Kejadian ini sudah punya foto' },
      )
    // Checked here for a clear answer without queueing, and again in the writer, where two
    // attaches of different photos cannot both pass.
    const before = owned(this.s.incidentById.get(id) as IncidentRow | undefined)
    if (before.photo !== null && before.photo !== file) throw conflict()
    this.assertPhotoUsable(p, file)
    const outcome = await this.desk.write(() => {
      const row = owned(this.s.incidentById.get(id) as IncidentRow | undefined)
      if (row.photo === file) return 'duplicate' as const
      if (row.photo !== null) throw conflict()
      this.s.setIncidentPhoto.run(file, id)
      this.store.audit(p.id, 'incident.photo', row.tps ?? row.region, { id, file })
      // Same event as a status change: screens listing incidents reload the row (the console then
      // shows the photo). No names, no file name: boards receive it too.
      this.store.appendEvent('incident.updated', { id, status: row.status, hasPhoto: true })
      return 'attached' as const
    })
    return { outcome, incident: this.incidentDto(this.s.incidentById.get(id) as IncidentRow, staff ? 'full' : 'own') }
  }

  async setIncidentStatus(actor: Principal, id: number, status: 'open' | 'handled'): Promise<IncidentDto> {
    if (!this.s.incidentById.get(id)) throw notFound(`Kejadian #${id} tidak ditemukan`)
    await this.desk.write(() => {
      this.s.setIncidentStatus.run(status, id)
      this.store.audit(actor.id, 'incident.status', String(id), { status })
      this.store.appendEvent('incident.updated', { id, status })
    })
    return this.incidentDto(this.s.incidentById.get(id) as IncidentRow, 'full')
  }
}

const services = new WeakMap<DeskService, IntakeService>()

/** One intake service per desk (its statements are prepared once); other features may read through it. */
export function intakeServiceFor(desk: DeskService): IntakeService {
  let s = services.get(desk)
  if (!s) services.set(desk, (s = new IntakeService(desk)))
  return s
}
