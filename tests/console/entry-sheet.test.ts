import { describe, expect, it } from 'vitest'
import type { ContestDto } from '../../src/shared/api'
import { analyseSheet, emptySheet, type SheetValues } from '../../src/renderer/src/console/sheet'
import { CONSOLE_MESSAGES } from '../../src/renderer/src/console/messages'

// The console's phone entry words the shared C.Hasil check (tests/intake/sheet-check.test.ts) for
// the operator: what it may leave empty on a call, and what it says, in both languages.

const BUPATI: ContestDto = {
  id: 'bupati',
  name: 'Pemilihan Bupati',
  candidates: [
    { number: 1, name: 'A - B' },
    { number: 2, name: 'C - D' },
  ],
} as ContestDto
const id = CONSOLE_MESSAGES.id
const en = CONSOLE_MESSAGES.en

function typed(over: Partial<SheetValues>): SheetValues {
  return { ...emptySheet(BUPATI), votes: { '1': '100', '2': '95' }, invalid: '10', ...over }
}

describe('the phone entry sheet in the console', () => {
  it('saves a call without the voters section, and without the totals read out', () => {
    const a = analyseSheet(typed({}), BUPATI, 300, id)
    expect(a.errors).toEqual({})
    expect(a.sheet).toEqual({ votes: { '1': 100, '2': 95 }, invalid: 10 })
    expect([a.valid, a.total, a.votersSum]).toEqual([195, 205, null])
  })

  it('a voters section begun needs DPT, DPTb and DPK: the missing ones and the section are named', () => {
    const a = analyseSheet(typed({ dpt: '200' }), BUPATI, 300, id)
    expect(a.sheet).toBeNull()
    expect(a.errors).toEqual({
      'voters.dptb': id.required,
      'voters.dpk': id.required,
      voters: id.votersPartial,
    })
    expect(
      analyseSheet(typed({ dpt: '200', dptb: '3', dpk: '2' }), BUPATI, 300, id).sheet?.voters,
    ).toEqual({ dpt: 200, dptb: 3, dpk: 2 })
  })

  it('names a total read out that does not add up, on that total', () => {
    const a = analyseSheet(
      typed({ dpt: '200', dptb: '3', dpk: '2', votersTotal: '204', total: '206' }),
      BUPATI,
      300,
      id,
    )
    expect(a.errors).toEqual({
      'voters.total': 'Jumlah dibacakan 204, tetapi DPT + DPTb + DPK 205',
      total: 'Jumlah dibacakan 206, tetapi suara sah + tidak sah 205',
    })
    expect(analyseSheet(typed({ valid: '1000' }), BUPATI, 300, en).errors).toEqual({
      valid: 'Valid votes read as 1.000, but the pairs add up to 195',
    })
  })

  it('warns as the desk will: low turnout, many invalid votes, one pair with every vote', () => {
    const a = analyseSheet(
      typed({ votes: { '1': '120', '2': '0' }, invalid: '20' }),
      BUPATI,
      600,
      id,
    )
    expect(a.sheet).not.toBeNull()
    expect(a.warnings).toEqual([
      'Suara tidak sah 20 dari 140 suara: lebih dari 10%',
      'Partisipasi sangat rendah: 140 suara dari DPT 600',
      'Semua 120 suara sah untuk Paslon 1',
    ])
    expect(
      analyseSheet(typed({ votes: { '1': '0', '2': '0' }, invalid: '0' }), BUPATI, 600, en)
        .warnings,
    ).toEqual(['No votes at all; make sure this TPS has been counted'])
  })
})
