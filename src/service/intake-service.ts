// Field intake over the desk: the reporter list import, the reporters' sign-in window, the per-TPS
// state a reporter's phone shows, evidence photos, incident reports and the kecamatan officers'
// verification. Each sub-feature has its own file in ./intake/ and the statements theirs in
// src/store/intake-store.ts; this service is the one face the routes and other features use.

import { isWithin, regionLevel } from '../domain/codes'
import type {
  DesaVerificationDto,
  IncidentDto,
  IntakeContestState,
  IntakeTpsListDto,
  PhotoDto,
  RegionRefDto,
  SignInWindowDto,
  UserImportAnswer,
  VerificationListDto,
} from '../shared/api'
import type { IncidentCreate, SignInWindow, VerificationMark } from '../shared/schemas'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'
import { DeskError, forbidden } from './errors'
import { IntakeCore } from './intake/core'
import { IntakeIncidents } from './intake/incidents'
import { IntakeLockouts } from './intake/lockouts'
import { IntakePeople } from './intake/people'
import { IntakePhotos, type PhotoQuota, type PhotoQuotaDto, type PhotoType } from './intake/photos'
import { IntakeVerification } from './intake/verification'
import type { Principal } from './principal'

export {
  DEFAULT_PHOTO_QUOTA,
  imageTypeOf,
  MAX_PHOTO_BYTES,
  PHOTO_QUOTA_ENV,
  PHOTO_TYPE_OF_EXTENSION,
  photoQuotaFromEnv,
  photoQuotaZeroMeaning,
  type PhotoQuota,
  type PhotoQuotaDto,
  type PhotoType,
} from './intake/photos'
export { validateUserTable, type UserImportRow } from './intake/people'
export type { SignInLockEntry, SignInLocks } from './intake/lockouts'

/**
 * Field intake over the desk. Writes go through the desk's single writer; events are published
 * after commit.
 */
export class IntakeService {
  private readonly core: IntakeCore
  readonly people: IntakePeople
  readonly photos: IntakePhotos
  readonly incidents: IntakeIncidents
  readonly verification: IntakeVerification
  /** Sign-in lockouts: the admin's list and "Buka blokir". */
  readonly lockouts: IntakeLockouts

  readonly desk: DeskService

  constructor(core: DeskCore, env: Record<string, string | undefined> = process.env) {
    this.desk = core.desk
    this.core = new IntakeCore(core)
    this.photos = new IntakePhotos(this.core, env)
    this.people = new IntakePeople(this.core)
    this.incidents = new IntakeIncidents(this.core)
    this.verification = new IntakeVerification(this.core)
    this.lockouts = new IntakeLockouts(this.core)
  }

  /** The quota when the admin has not set one (defaults, or the DESK_PHOTO_* variables). */
  get defaultPhotoQuota(): PhotoQuota {
    return this.photos.defaultPhotoQuota
  }

  private get regions() {
    return this.desk.regions
  }

  regionRef(code: string): RegionRefDto {
    return this.core.regionRef(code)
  }

  // ---------------------------------------------------------------- people and codes
  signInWindow(): SignInWindowDto {
    return this.people.signInWindow()
  }

  setSignInWindow(actor: Principal, w: SignInWindow): Promise<SignInWindowDto> {
    return this.people.setSignInWindow(actor, w)
  }

  /** Refuses a reporter outside the admin-set window. Stops a leaked code being used days later. */
  assertReporterWindow(): void {
    this.people.assertReporterWindow()
  }

  importUsers(
    actor: Principal,
    table: string[][],
    options: { simulated?: boolean } = {},
  ): Promise<UserImportAnswer> {
    return this.people.importUsers(actor, table, options)
  }

  // ---------------------------------------------------------------- TPS list with per-contest state
  /** The scope a principal may look at: a reporter their own region (or a part of it), others what they ask for. */
  private scopeFor(p: Principal, region: string | undefined): string {
    if (region !== undefined) {
      const level = regionLevel(region)
      if (!this.regions.contains(region) || (level !== 'desa' && level !== 'kecamatan')) {
        throw new DeskError(
          400,
          'invalid',
          `Wilayah ${region} bukan desa/kelurahan atau kecamatan di ${this.regions.regency.name}`,
          {
            region: 'Kode desa atau kecamatan tidak dikenal',
          },
        )
      }
    }
    if (p.role === 'reporter') {
      if (region === undefined) return p.region
      if (!isWithin(region, p.region)) throw forbidden('Wilayah itu di luar wilayah tugas Anda')
      return region
    }
    if (region === undefined) {
      throw new DeskError(400, 'invalid', 'Sebutkan wilayah: ?region=KODE desa atau kecamatan', {
        region: 'Wajib diisi',
      })
    }
    return region
  }

  tpsStates(p: Principal, region?: string): IntakeTpsListDto {
    const scope = this.scopeFor(p, region)
    const contests = this.desk.contests()
    const results = this.core.intake.resultsUnder(scope)
    const conflicts = this.core.intake.openConflictsUnder(scope)
    const state = new Map<
      string,
      { state: IntakeContestState; reason?: 'conflict' | 'correction' | 'flagged' }
    >()
    for (const r of results) {
      state.set(
        `${r.tps}|${r.contest}`,
        r.review === 'flagged'
          ? { state: 'perlu_dicek', reason: 'flagged' }
          : { state: 'diterima' },
      )
    }
    for (const c of conflicts)
      state.set(`${c.tps}|${c.contest}`, { state: 'perlu_dicek', reason: c.kind })
    const desaCodes =
      regionLevel(scope) === 'desa' ? [scope] : this.regions.childrenOf(scope).map((d) => d.code)
    const verifications = this.verification.verificationsUnder(scope, p)
    return {
      region: this.regionRef(scope),
      desa: desaCodes.map((code) => ({
        code,
        name: this.regions.get(code)?.name ?? code,
        verification: verifications.get(code) ?? null,
      })),
      tps: this.desk.listTps(scope).map((t) => ({
        code: t.code,
        desa: t.desa,
        number: t.number,
        dpt: t.dpt,
        location: t.location,
        status: t.status,
        statusReason: t.statusReason,
        contests: Object.fromEntries(
          contests.map((c) => [
            c.id,
            state.get(`${t.code}|${c.id}`) ?? { state: 'belum' as const },
          ]),
        ),
      })),
    }
  }

  // ---------------------------------------------------------------- kecamatan verification
  /** The mark on a desa (for the console's review screens), or null. */
  verificationOf(desa: string): DesaVerificationDto | null {
    return this.verification.verificationOf(desa)
  }

  verificationList(p: Principal, kecamatan?: string): VerificationListDto {
    return this.verification.verificationList(p, kecamatan)
  }

  markDesa(p: Principal, desa: string, mark: VerificationMark): Promise<DesaVerificationDto> {
    return this.verification.markDesa(p, desa, mark)
  }

  // ---------------------------------------------------------------- photos
  photoQuota(): PhotoQuotaDto {
    return this.photos.photoQuota()
  }

  setPhotoQuota(actor: Principal, quota: PhotoQuota | null): Promise<PhotoQuotaDto> {
    return this.photos.setPhotoQuota(actor, quota)
  }

  photoQuotaView(p: Principal): PhotoQuotaDto {
    return this.photos.photoQuotaView(p)
  }

  storePhoto(
    p: Principal,
    bytes: Buffer,
    target: { tps?: string; contest?: string; region?: string },
    options: { simulated?: boolean } = {},
  ): Promise<{ created: boolean; photo: PhotoDto }> {
    return this.photos.storePhoto(p, bytes, target, options)
  }

  listPhotos(filter: { tps?: string; region?: string }): PhotoDto[] {
    return this.photos.listPhotos(filter)
  }

  photoPath(file: string): { path: string; type: PhotoType } {
    return this.photos.photoPath(file)
  }

  // ---------------------------------------------------------------- incidents
  createIncident(
    p: Principal,
    body: IncidentCreate,
    options: { simulated?: boolean } = {},
  ): Promise<{ httpStatus: 200 | 201; id: number }> {
    return this.incidents.createIncident(p, body, options)
  }

  listIncidents(
    p: Principal,
    filter: { status?: 'open' | 'handled'; after?: number; limit?: number } = {},
  ): IncidentDto[] {
    return this.incidents.listIncidents(p, filter)
  }

  attachIncidentPhoto(
    p: Principal,
    id: number,
    file: string,
  ): Promise<{ outcome: 'attached' | 'duplicate'; incident: IncidentDto }> {
    return this.incidents.attachIncidentPhoto(p, id, file)
  }

  setIncidentStatus(
    actor: Principal,
    id: number,
    status: 'open' | 'handled',
  ): Promise<IncidentDto> {
    return this.incidents.setIncidentStatus(actor, id, status)
  }

  /**
   * Evidence for the console's review screens (its EvidenceSource): the photos of a TPS's sheet
   * for a contest (and those of the TPS as a whole), and the kecamatan officer's mark on its desa.
   */
  evidenceSource(): {
    photos(tps: string, contest: string): { url: string; label: string }[]
    verification(tps: string): {
      status: string
      note: string | null
      at: string | null
      actor: { id: string; name: string; role: string } | null
    } | null
  } {
    return {
      photos: (tps, contest) =>
        this.listPhotos({ tps })
          .filter((ph) => ph.contest === contest || ph.contest === null)
          .map((ph) => ({ url: ph.url, label: ph.label })),
      verification: (tps) => this.verification.evidence(tps),
    }
  }
}
