import { isWithin, parentCode, type RegionLevel } from './codes'

export interface Region {
  code: string
  name: string
  level: RegionLevel
  parent: string | null
}

export interface RegencyRegions {
  regency: Region
  kecamatan: Region[]
  desa: Region[]
}

/** An index over one regency's regions: lookups by code, children in code order. */
export class RegionTree {
  readonly regency: Region
  private readonly byCode = new Map<string, Region>()
  private readonly children = new Map<string, Region[]>()

  constructor(data: RegencyRegions) {
    this.regency = data.regency
    for (const r of [data.regency, ...data.kecamatan, ...data.desa]) this.byCode.set(r.code, r)
    for (const r of [...data.kecamatan, ...data.desa]) {
      const p = r.parent ?? parentCode(r.code)
      if (!p) continue
      const list = this.children.get(p) ?? []
      list.push(r)
      this.children.set(p, list)
    }
    for (const list of this.children.values()) list.sort((a, b) => a.code.localeCompare(b.code))
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code)
  }

  childrenOf(code: string): Region[] {
    return this.children.get(code) ?? []
  }

  get kecamatan(): Region[] {
    return this.childrenOf(this.regency.code)
  }

  private desaList: Region[] | null = null

  get desa(): Region[] {
    this.desaList ??= this.kecamatan.flatMap((k) => this.childrenOf(k.code))
    return this.desaList
  }

  isDesa(code: string): boolean {
    return this.byCode.get(code)?.level === 'desa'
  }

  /** True when the code names this regency or a region inside it. */
  contains(code: string): boolean {
    return this.byCode.has(code) && isWithin(code, this.regency.code)
  }
}
