// The kecamatan officers' verification: a mark on a desa's standing numbers, stale once they change.

import { regionLevel, isWithin } from '../../domain/codes'
import type {
  DesaVerificationDto,
  VerificationListDto,
  VerificationRowDto,
  VerificationTpsDto,
} from '../../shared/api'
import type { VerificationMark } from '../../shared/schemas'
import type { IntakeStore, StandingRow, VerificationRow } from '../../store/intake-store'
import { canonicalJson, sha256 } from '../../store/store'
import { DeskError, forbidden, notFound } from '../errors'
import { atLeast, type Principal } from '../principal'
import type { IntakeCore } from './core'

export class IntakeVerification {
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

  /**
   * The desa's standing results and a fingerprint of their numbers (48 bits of a SHA-256, an exact
   * integer in JS and SQLite). Any new TPS result, correction or supervisor decision that changes a
   * vote, valid or invalid count changes it — even one that brings back an older submission, which
   * neither the row count nor the highest submission number would notice.
   */
  private standingOf(desa: string): { rows: StandingRow[]; fingerprint: number } {
    const rows = this.intake.standingUnder(desa)
    const numbers = rows.map((r) => [
      r.tps,
      r.contest,
      JSON.parse(r.votes) as unknown,
      r.valid,
      r.invalid,
    ])
    return { rows, fingerprint: parseInt(sha256(canonicalJson(numbers)).slice(0, 12), 16) }
  }

  private verificationDto(v: VerificationRow, withActor: boolean): DesaVerificationDto {
    return {
      status: v.status,
      note: v.note,
      at: v.at,
      ...(withActor ? { by: { id: v.actor, name: this.core.nameOf(v.actor) } } : {}),
      stale: this.standingOf(v.desa).fingerprint !== v.results,
    }
  }

  /** The marks on the desa of a desa or kecamatan (the actor named for all but a display). */
  verificationsUnder(scope: string, p: Principal): Map<string, DesaVerificationDto> {
    const withActor = p.role !== 'display'
    const rows =
      regionLevel(scope) === 'desa'
        ? [this.intake.verificationOf(scope)].filter((v) => v !== undefined)
        : this.intake.verificationsUnder(scope)
    return new Map(rows.map((v) => [v.desa, this.verificationDto(v, withActor)]))
  }

  /** The mark on a desa (for the console's review screens), or null. */
  verificationOf(desa: string): DesaVerificationDto | null {
    const v = this.intake.verificationOf(desa)
    return v ? this.verificationDto(v, true) : null
  }

  verificationList(p: Principal, kecamatan?: string): VerificationListDto {
    let scope = kecamatan
    if (p.role === 'reporter') {
      if (regionLevel(p.region) !== 'kecamatan')
        throw forbidden('Hanya petugas kecamatan yang memverifikasi hasil desa')
      if (scope !== undefined && scope !== p.region)
        throw forbidden('Kecamatan itu di luar wilayah tugas Anda')
      scope = p.region
    }
    if (
      scope !== undefined &&
      (!this.regions.contains(scope) || regionLevel(scope) !== 'kecamatan')
    ) {
      throw new DeskError(400, 'invalid', `Kecamatan ${scope} tidak dikenal`, {
        kecamatan: 'Kode kecamatan tidak dikenal',
      })
    }
    const kecamatanList = scope ? [this.regions.get(scope)!] : this.regions.kecamatan
    const contests = this.desk.contests()
    const rows: VerificationRowDto[] = []
    for (const k of kecamatanList) {
      const allTps = this.desk.listTps(k.code)
      const tps = allTps.filter((t) => t.status === 'active')
      const results = (
        scope ? this.intake.standingUnder(k.code) : this.intake.resultsUnder(k.code)
      ) as StandingRow[]
      const conflicts = this.intake.openConflictsUnder(k.code)
      const verifications = this.verificationsUnder(k.code, p)
      const desaOf = (tpsCode: string) => tpsCode.slice(0, tpsCode.lastIndexOf('.'))
      for (const d of this.regions.childrenOf(k.code)) {
        const perContest: VerificationRowDto['contests'] = {}
        const openOf = new Map<string, Set<string>>()
        for (const c of contests) {
          const here = results.filter((r) => r.contest === c.id && desaOf(r.tps) === d.code)
          const open = new Set(
            conflicts
              .filter((x) => x.contest === c.id && desaOf(x.tps) === d.code)
              .map((x) => x.tps),
          )
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
                        ? {
                            votes: JSON.parse(r.votes) as Record<string, number>,
                            valid: r.valid,
                            invalid: r.invalid,
                            needsCheck: openOf.get(c.id)!.has(t.code),
                          }
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
    if (!this.regions.contains(desa) || !this.regions.isDesa(desa))
      throw notFound(`Desa ${desa} tidak dikenal`)
    if (p.role === 'reporter') {
      if (regionLevel(p.region) !== 'kecamatan')
        throw forbidden('Hanya petugas kecamatan yang memverifikasi hasil desa')
      if (!isWithin(desa, p.region)) throw forbidden('Desa itu di luar kecamatan Anda')
    } else if (!atLeast(p, 'supervisor')) {
      throw forbidden(
        'Hanya petugas kecamatan, supervisor atau admin yang memverifikasi hasil desa',
      )
    }
    const note = mark.note && mark.note.length > 0 ? mark.note : null
    const row = await this.desk.write(() => {
      const standing = this.standingOf(desa)
      const results = standing.rows.length
      if (results === 0) {
        throw new DeskError(
          409,
          'no_results',
          `Belum ada hasil TPS dari ${this.regions.get(desa)!.name}; belum ada yang bisa diverifikasi`,
        )
      }
      const v: VerificationRow = {
        desa,
        status: mark.status,
        note,
        actor: p.id,
        at: this.store.nowIso(),
        results: standing.fingerprint,
      }
      this.intake.upsertVerification(v)
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

  /** The mark on a TPS's desa as the console's review screens show it (its EvidenceSource), or null. */
  evidence(tps: string): {
    status: string
    note: string | null
    at: string | null
    actor: { id: string; name: string; role: string } | null
  } | null {
    const v = this.intake.verificationOf(tps.slice(0, tps.lastIndexOf('.')))
    if (!v) return null
    const user = v.actor === 'admin' ? undefined : this.store.userById(v.actor)
    const dto = this.verificationDto(v, true)
    return {
      status:
        v.status === 'verified'
          ? dto.stale
            ? 'terverifikasi kecamatan (sebelum hasil terbaru)'
            : 'terverifikasi kecamatan'
          : 'ditandai kecamatan',
      note: v.note,
      at: v.at,
      actor: { id: v.actor, name: this.core.nameOf(v.actor), role: user?.role ?? 'admin' },
    }
  }
}
