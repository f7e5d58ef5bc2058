// What the intake's sub-features share: the desk, the intake's statements, names of people and
// places, and where a reporter's report belongs.

import { isWithin, regionLevel } from '../../domain/codes'
import type { RegionRefDto } from '../../shared/api'
import { IntakeStore } from '../../store/intake-store'
import type { DeskCore } from '../core'
import type { DeskService } from '../desk-service'
import { DeskError } from '../errors'
import { atLeast, type Principal } from '../principal'

export class IntakeCore {
  /** The intake's own statements (prepared once per desk). */
  readonly intake: IntakeStore
  readonly desk: DeskService
  /** The desk's store: users, meta, audit, events. */
  readonly store: DeskCore['store']
  readonly smsStore: DeskCore['smsStore']

  constructor(core: DeskCore) {
    this.desk = core.desk
    this.store = core.store
    this.smsStore = core.smsStore
    this.intake = new IntakeStore(core.store.db)
  }

  get regions() {
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

  nameOf(actor: string): string {
    if (actor === 'admin') return 'Admin'
    return this.store.userById(actor)?.name ?? actor
  }

  // ---------------------------------------------------------------- places
  /** Where a reporter's report about a TPS or desa belongs, checked against what they may touch. */
  placeFor(
    p: Principal,
    target: { tps?: string; region?: string },
  ): { region: string; tps: string | null } {
    let region: string
    let tps: string | null = null
    if (target.tps) {
      const t = this.store.getTps(target.tps)
      if (!t)
        throw new DeskError(404, 'not_found', `TPS ${target.tps} tidak terdaftar`, {
          tps: 'TPS tidak terdaftar',
        })
      if (target.region && target.region !== t.desa) {
        throw new DeskError(400, 'invalid', `TPS ${t.code} bukan di desa ${target.region}`, {
          region: 'Tidak cocok dengan TPS',
        })
      }
      tps = t.code
      region = t.desa
    } else if (target.region) {
      if (!this.regions.contains(target.region) || !this.regions.isDesa(target.region)) {
        throw new DeskError(400, 'invalid', `Desa ${target.region} tidak dikenal`, {
          region: 'Kode desa/kelurahan tidak dikenal',
        })
      }
      region = target.region
    } else if (p.role === 'reporter' && regionLevel(p.region) === 'desa') {
      region = p.region
    } else {
      throw new DeskError(400, 'invalid', 'Pilih TPS atau desa tempat kejadian', {
        tps: 'Pilih TPS atau desa',
        region: 'Pilih TPS atau desa',
      })
    }
    if (p.role === 'reporter' && !isWithin(region, p.region)) {
      throw new DeskError(
        403,
        'forbidden',
        `${tps ? `TPS ${tps}` : `Desa ${region}`} di luar wilayah tugas Anda (${p.region})`,
        {
          [tps ? 'tps' : 'region']: 'Di luar wilayah tugas',
        },
      )
    }
    return { region, tps }
  }

  simulatedFor(p: Principal, asked: boolean): boolean {
    const user = p.id === 'admin' ? undefined : this.store.userById(p.id)
    return !!user?.simulated || (asked && atLeast(p, 'operator'))
  }
}
