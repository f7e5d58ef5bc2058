// The berjenjang copy of the data keeps listed fields only: a field nobody listed (added to the
// source later, or smuggled into an import record) never reaches a sheet.

import { describe, expect, it } from 'vitest'
import { allowListed } from '../../src/export/allow-list'
import { jemberSource } from './jember-source'

const TYPED = 'Pak Darto 0812-3456-7890'

describe('allow-list of the berjenjang profile', () => {
  it('KPU sets are copied field by field: an unlisted field or a typed region stays out', () => {
    const source = jemberSource({})
    const set = source.kpu!.sets[0]!
    // What a later change to the import record (or a tampered data file) could carry.
    Object.assign(set, { operatorNote: TYPED, source: TYPED })
    Object.assign(set.figures[0]!, { comment: TYPED })
    set.figures[1]!.region = TYPED
    const copy = allowListed(source).kpu!.sets[0]!
    expect(JSON.stringify(allowListed(source))).not.toContain('Darto')
    expect(Object.keys(copy).sort()).toEqual([
      'contest',
      'figures',
      'importId',
      'importedAt',
      'level',
      'source',
    ])
    expect(Object.keys(copy.figures[0]!).sort()).toEqual(['invalid', 'region', 'valid', 'votes'])
    expect(copy.figures[1]!.region).toBe('')
    // The figures themselves are kept as they are.
    expect(copy.figures[0]!.votes).toEqual(set.figures[0]!.votes)
    expect(copy.contest).toBe(set.contest)
  })
})
