// People and their codes: the reporter list import (each person's access code and SMS code) and
// the window in which reporters may sign in.

import { randomUUID } from 'node:crypto'
import { regionLevel } from '../../domain/codes'
import { headerIndex, type RowError } from '../../domain/tps'
import type { ImportedUserDto, SignInWindowDto, UserImportAnswer } from '../../shared/api'
import { formatDateTimeWib } from '../../shared/format'
import type { Role, SignInWindow } from '../../shared/schemas'
import type { IntakeStore } from '../../store/intake-store'
import type { UserRecord } from '../../store/store'
import { issueCodes } from '../credentials'
import { DeskError } from '../errors'
import type { Principal } from '../principal'
import type { IntakeCore } from './core'

const WINDOW_KEY = 'intake.window'
const PHONE = /^\+?[0-9 ()-]*$/
const MAX_IMPORT_ROWS = 2000

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
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [
    keyof typeof HEADER_ALIASES,
    string[],
  ][]) {
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
  const key = (name: string, role: string, region: string) =>
    `${name.toLowerCase().replace(/\s+/g, ' ')}|${role}|${region}`
  const active = new Set(
    existing.filter((u) => !u.revokedAt).map((u) => key(u.name, u.role, u.region)),
  )
  const seen = new Map<string, number>()
  for (let i = top + 1; i < table.length; i++) {
    const r = table[i]!
    const rowNo = i + 1
    if (r.every((c) => c.trim() === '')) continue
    const rowErrors: RowError[] = []
    const name = cell(r, 'name')
    if (name === '') rowErrors.push({ row: rowNo, column: 'nama', message: 'nama wajib diisi' })
    else if (name.length > 120)
      rowErrors.push({ row: rowNo, column: 'nama', message: 'nama paling panjang 120 karakter' })
    const phone = cell(r, 'phone')
    if (phone.length > 30 || !PHONE.test(phone)) {
      rowErrors.push({
        row: rowNo,
        column: 'hp',
        message: `hp "${phone}" hanya boleh angka, spasi, +, -, ( dan ) (paling panjang 30)`,
      })
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
        rowErrors.push({
          row: rowNo,
          column: 'kode_wilayah',
          message: 'kode_wilayah wajib diisi untuk pelapor (kode desa/kelurahan atau kecamatan)',
        })
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
        rowErrors.push({
          row: rowNo,
          column: 'kode_wilayah',
          message: `kode_wilayah ${region} tidak ada di ${regions.regency.name}`,
        })
      }
    }
    if (rowErrors.length === 0 && role) {
      const k = key(name, role, region)
      const first = seen.get(k)
      if (first !== undefined) {
        rowErrors.push({
          row: rowNo,
          column: 'nama',
          message: `${name} (${region}) ganda: sudah ada di baris ${first}`,
        })
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
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: top + 2, message: 'Berkas tidak berisi satu orang pun' })
  return { rows, errors }
}

export class IntakePeople {
  private readonly intake: IntakeStore

  constructor(private readonly core: IntakeCore) {
    this.intake = core.intake
  }

  private get desk() {
    return this.core.desk
  }

  private get store() {
    return this.core.store
  }

  private get regions() {
    return this.core.regions
  }

  signInWindow(): SignInWindowDto {
    const raw = this.store.getMeta(WINDOW_KEY)
    const w = raw ? (JSON.parse(raw) as SignInWindow) : { opensAt: null, closesAt: null }
    const now = Date.parse(this.store.nowIso())
    const open =
      (!w.opensAt || now >= Date.parse(w.opensAt)) && (!w.closesAt || now < Date.parse(w.closesAt))
    return { opensAt: w.opensAt, closesAt: w.closesAt, open }
  }

  async setSignInWindow(actor: Principal, w: SignInWindow): Promise<SignInWindowDto> {
    const value = {
      opensAt: w.opensAt ? new Date(w.opensAt).toISOString() : null,
      closesAt: w.closesAt ? new Date(w.closesAt).toISOString() : null,
    }
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
  async importUsers(
    actor: Principal,
    table: string[][],
    options: { simulated?: boolean } = {},
  ): Promise<UserImportAnswer> {
    const { rows, errors } = validateUserTable(table, this.regions, this.store.listUsers())
    if (errors.length > 0) return { imported: 0, users: [], errors }
    // Each person's access code and SMS code (issue 15), stored only hashed (credentials.ts).
    const issued = await issueCodes(rows.length, (id) => !!this.store.userByCodeId(id))
    const createdAt = this.store.nowIso()
    const users: UserRecord[] = rows.map((r, i) => ({
      id: randomUUID(),
      name: r.name,
      phone: r.phone,
      role: r.role,
      region: r.region,
      codeId: issued[i]!.codeId,
      codeHash: issued[i]!.codeHash,
      simulated: !!options.simulated,
      createdAt,
      revokedAt: null,
    }))
    await this.desk.write(() => {
      for (const u of users) {
        if (this.store.userByCodeId(u.codeId))
          throw new DeskError(
            503,
            'retry',
            'Bentrok kode akses; ulangi impor (tidak ada yang tersimpan)',
          )
      }
      for (const [i, u] of users.entries()) {
        this.store.insertUser(u)
        this.core.smsStore.setCode(u.id, issued[i]!.smsHash, createdAt)
        this.store.audit(actor.id, 'user.create', u.id, {
          role: u.role,
          region: u.region,
          simulated: u.simulated,
          via: 'import',
        })
      }
      this.store.audit(actor.id, 'user.import', null, {
        count: users.length,
        simulated: !!options.simulated,
      })
      this.store.appendEvent('users.imported', { count: users.length })
    })
    const out: ImportedUserDto[] = users.map((u, i) => ({
      id: u.id,
      name: u.name,
      phone: u.phone,
      role: u.role,
      region: u.region,
      regionName: this.regions.get(u.region)?.name ?? u.region,
      accessCode: issued[i]!.code,
      smsCode: issued[i]!.smsCode,
    }))
    return { imported: out.length, users: out, errors: [] }
  }
}
