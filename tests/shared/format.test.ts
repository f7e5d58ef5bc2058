import { describe, expect, it } from 'vitest'
import { formatTpsNumber, tpsLabel } from '../../src/shared/format'

describe('naming a TPS', () => {
  it('writes the number with three digits, as on the forms', () => {
    expect(formatTpsNumber(7)).toBe('007')
    expect(formatTpsNumber(42)).toBe('042')
    expect(formatTpsNumber(123)).toBe('123')
  })

  it('names the desa and the TPS in one label', () => {
    expect(tpsLabel({ desaName: 'Sumbersari', number: 7 })).toBe('Sumbersari · TPS 007')
    expect(tpsLabel({ desaName: 'Kebonsari', number: 12 }, 'TPS')).toBe('Kebonsari · TPS 012')
  })
})
