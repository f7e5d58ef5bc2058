import { describe, expect, it } from 'vitest'
import { tickerItem } from '../../src/shared/board'

describe('board ticker', () => {
  it('shows a result that came by SMS like any result, saying so, never who sent it', () => {
    const lookup = {
      regionName: (c: string) => ({ '35.09.01.2001': 'Padomasan', '35.09.01': 'Jombang' })[c],
      contestName: () => 'Pemilihan Bupati dan Wakil Bupati Jember 2024',
    }
    const data = {
      tps: '35.09.01.2001.003',
      contest: 'bupati',
      votes: { '1': 100, '2': 80 },
      valid: 180,
      invalid: 3,
      total: 183,
      warnings: [],
      channel: 'sms',
      receipt: '000123-4F2A',
    }
    const item = tickerItem(
      { id: 9, at: '2024-11-27T08:05:00Z', type: 'result.accepted', data },
      lookup,
    )!
    expect(item.tone).toBe('result')
    expect(item.text).toMatch(/^TPS 003 Padomasan, Jombang · .+ · lewat SMS$/)
    const web = tickerItem(
      {
        id: 10,
        at: '2024-11-27T08:05:00Z',
        type: 'result.accepted',
        data: { ...data, channel: 'web' },
      },
      lookup,
    )!
    expect(web.text).not.toContain('SMS')
  })
})
