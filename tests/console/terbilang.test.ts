import { describe, expect, it } from 'vitest'
import { numberInEnglish, terbilang } from '../../src/shared/terbilang'

describe('terbilang (Indonesian number words)', () => {
  it.each([
    [0, 'nol'],
    [1, 'satu'],
    [9, 'sembilan'],
    [10, 'sepuluh'],
    [11, 'sebelas'],
    [12, 'dua belas'],
    [19, 'sembilan belas'],
    [20, 'dua puluh'],
    [21, 'dua puluh satu'],
    [99, 'sembilan puluh sembilan'],
    [100, 'seratus'],
    [101, 'seratus satu'],
    [110, 'seratus sepuluh'],
    [111, 'seratus sebelas'],
    [123, 'seratus dua puluh tiga'],
    [200, 'dua ratus'],
    [315, 'tiga ratus lima belas'],
    [600, 'enam ratus'],
    [999, 'sembilan ratus sembilan puluh sembilan'],
    [1000, 'seribu'],
    [1001, 'seribu satu'],
    [1100, 'seribu seratus'],
    [1234, 'seribu dua ratus tiga puluh empat'],
    [2000, 'dua ribu'],
    [11000, 'sebelas ribu'],
    [100000, 'seratus ribu'],
    [101000, 'seratus satu ribu'],
    [1000000, 'satu juta'],
    [1955219, 'satu juta sembilan ratus lima puluh lima ribu dua ratus sembilan belas'],
    [2500011, 'dua juta lima ratus ribu sebelas'],
    [1000000000, 'satu miliar'],
    [3000000000000, 'tiga triliun'],
  ])('%i → %s', (n, words) => {
    expect(terbilang(n)).toBe(words)
  })

  it('refuses what it cannot say exactly', () => {
    expect(() => terbilang(-1)).toThrow(RangeError)
    expect(() => terbilang(1.5)).toThrow(RangeError)
    expect(() => terbilang(Number.NaN)).toThrow(RangeError)
    expect(() => terbilang(1e15)).toThrow(RangeError)
  })

  it('never leaves doubled or trailing spaces', () => {
    for (let n = 0; n < 20000; n += 37) {
      const w = terbilang(n)
      expect(w).toBe(w.trim())
      expect(w).not.toMatch(/\s{2}/)
      if (n > 0) expect(w).not.toContain('nol')
    }
  })
})

describe('numberInEnglish', () => {
  it.each([
    [0, 'zero'],
    [13, 'thirteen'],
    [42, 'forty-two'],
    [123, 'one hundred twenty-three'],
    [1000, 'one thousand'],
    [1955219, 'one million nine hundred fifty-five thousand two hundred nineteen'],
  ])('%i → %s', (n, words) => {
    expect(numberInEnglish(n)).toBe(words)
  })
})
