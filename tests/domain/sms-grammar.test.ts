import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  parseSmsReport,
  readSmsNumber,
  smsExample,
  splitSmsCode,
  type SmsContext,
  type SmsParse,
} from '../../src/domain/sms-grammar'
import {
  codeLikeWords,
  fitSms,
  fitSmsFirst,
  maskSmsCode,
  maskWords,
  normalizeMsisdn,
} from '../../src/domain/sms-text'

const CONTESTS = [
  { id: 'gubernur', label: 'Gubernur', order: [1, 2, 3] },
  { id: 'bupati', label: 'Bupati', order: [1, 2] },
]
const JOMBANG = [
  { code: '35.09.01.2001', name: 'Padomasan' },
  { code: '35.09.01.2002', name: 'Keting' },
  { code: '35.09.01.2003', name: 'Jombang' },
  { code: '35.09.01.2004', name: 'Ngampelrejo' },
]
const desaCtx: SmsContext = { contests: CONTESTS, desa: [JOMBANG[0]!], ownDesa: '35.09.01.2001' }
const kecCtx: SmsContext = { contests: CONTESTS, desa: JOMBANG, ownDesa: null }

const parse = (text: string, ctx: SmsContext): SmsParse =>
  parseSmsReport(splitSmsCode(text).rest, ctx)

/** The "read as" column of docs/SMS.md. */
function readAs(p: SmsParse, ctx: SmsContext): string {
  if (!p.ok) return `SALAH: ${p.error}`
  const tps = ctx.ownDesa
    ? String(p.tpsNumber).padStart(3, '0')
    : `${p.desa}.${String(p.tpsNumber).padStart(3, '0')}`
  const contests = p.reports.map(
    (r) =>
      `${r.contest} ${Object.entries(r.votes)
        .map(([n, v]) => `${n}=${v}`)
        .join(' ')} TS=${r.invalid}`,
  )
  return `${p.correction ? 'KOREKSI ' : ''}TPS ${tps}: ${contests.join('; ')}`
}

describe('SMS grammar', () => {
  it('reads every example of docs/SMS.md as the document says', () => {
    const doc = readFileSync(join(__dirname, '../../docs/SMS.md'), 'utf8')
    const section = doc.slice(doc.indexOf('## Examples'), doc.indexOf('## Replies'))
    const rows = [...section.matchAll(/^\| `([^`]+)` \| (desa|kecamatan) \| (.+?) \|$/gm)]
    expect(rows.length).toBeGreaterThanOrEqual(20)
    for (const [, message, sender, expected] of rows) {
      const ctx = sender === 'desa' ? desaCtx : kecCtx
      expect(splitSmsCode(message!).code).toBe('K7PQ')
      expect(readAs(parse(message!, ctx), ctx), message).toBe(expected)
    }
  })

  it('reads look-alike letters in numbers as digits, and only there', () => {
    expect(readSmsNumber('12O')).toBe(120)
    expect(readSmsNumber('l5O')).toBe(150)
    expect(readSmsNumber('I0')).toBe(10)
    expect(readSmsNumber('O')).toBe(0)
    expect(readSmsNumber('1S0')).toBeNull()
    expect(readSmsNumber('B')).toBeNull()
    const p = parse('K7PQ O3 B IOO 2OO TS O', desaCtx)
    expect(p).toMatchObject({
      ok: true,
      tpsNumber: 3,
      reports: [{ contest: 'bupati', votes: { '1': 100, '2': 200 }, invalid: 0 }],
    })
  })

  it('reads the TPS typed against the code', () => {
    expect(splitSmsCode('K7PQ3 B 120 150 TS 6')).toEqual({
      code: 'K7PQ',
      rest: ['3', 'B', '120', '150', 'TS', '6'],
    })
    expect(parse('K7PQ3 B 120 150 TS 6', desaCtx)).toMatchObject({ ok: true, tpsNumber: 3 })
  })

  it("puts a single-pair contest's empty column (kolom kosong) last", () => {
    const ctx: SmsContext = {
      contests: [{ id: 'walikota', label: 'Walikota', order: [1, 0] }],
      desa: desaCtx.desa,
      ownDesa: desaCtx.ownDesa,
    }
    expect(parse('K7PQ 1 W 300 40 TS 5', ctx)).toMatchObject({
      ok: true,
      reports: [{ votes: { '1': 300, '0': 40 }, invalid: 5 }],
    })
  })

  it('tells a kecamatan officer which desa a short name could be', () => {
    const ctx: SmsContext = {
      ...kecCtx,
      desa: [...JOMBANG, { code: '35.09.01.2005', name: 'Padang Sari' }],
    }
    const p = parse('K7PQ PAD 3 B 1 2 TS 0', ctx)
    expect(p.ok).toBe(false)
    if (!p.ok) expect(p.error).toBe('desa "PAD" lebih dari satu: PADOMASAN, PADANG SARI')
    // a multi-word name, typed with its space
    expect(parse('K7PQ PADANG SARI 3 B 1 2 TS 0', ctx)).toMatchObject({
      ok: true,
      desa: '35.09.01.2005',
    })
  })

  it('keeps what it could read of a refused message, for the phoned-in form', () => {
    const p = parse('K7PQ 4 G 10 20 30 TS 2 B 120 150', desaCtx)
    expect(p).toMatchObject({
      ok: false,
      partial: {
        desa: '35.09.01.2001',
        tpsNumber: 4,
        contest: 'bupati',
        votes: { '1': 120, '2': 150 },
      },
    })
  })

  it('never throws, whatever arrives', () => {
    const junk = [
      '',
      ' ',
      'K7PQ',
      '####',
      'K7PQ 3',
      'K7PQ 3 B',
      'K7PQ 3 B TS',
      'K7PQ 3 B 1 2 TS',
      '\u0000\uFFFF 3 B',
      'K7PQ 999999 B 1 2 TS 3',
      'K7PQ 0 B 1 2 TS 3',
      'x'.repeat(5000),
      'K7PQ ' + '1 '.repeat(500),
      '😀 3 B 1 2 TS 3',
      'K7PQ KOREKSI',
    ]
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const alphabet = 'K7PQ 0123456789 BGTSOIl.,#*KOREKSI PADO\n'
    for (let i = 0; i < 2000; i++)
      junk.push(
        Array.from(
          { length: Math.floor(rnd() * 40) },
          () => alphabet[Math.floor(rnd() * alphabet.length)],
        ).join(''),
      )
    for (const text of junk) {
      for (const ctx of [desaCtx, kecCtx]) {
        const p = parse(text, ctx)
        if (p.ok) {
          // A message read as valid has a TPS and one sheet per contest, every count a number.
          expect(p.tpsNumber, text).toBeGreaterThanOrEqual(1)
          for (const r of p.reports)
            expect(Object.keys(r.votes).length, text).toBe(
              CONTESTS.find((c) => c.id === r.contest)!.order.length,
            )
        } else {
          // The generic fallback means the parser threw: every input has a specific reason instead.
          expect(p.error, text).not.toBe('pesan tidak terbaca')
          expect(p.error.length, text).toBeGreaterThan(0)
        }
      }
    }
    expect(parse('K7PQ 0 B 1 2 TS 3', desaCtx)).toMatchObject({
      ok: false,
      error: 'nomor TPS "0" tidak terbaca',
    })
  })

  it("gives an example with the sender's own code, desa for an officer", () => {
    expect(smsExample('K7PQ', desaCtx, 'bupati')).toBe('K7PQ 3 B 120 150 TS 6')
    expect(smsExample('K7PQ', kecCtx, 'gubernur')).toBe('K7PQ PADOMASAN 3 G 120 150 90 TS 6')
  })
})

describe('SMS text helpers', () => {
  it('treats 08…, +628… and 628… as one number', () => {
    expect(normalizeMsisdn('0812-3456-7890')).toBe('6281234567890')
    expect(normalizeMsisdn('+62 812 3456 7890')).toBe('6281234567890')
    expect(normalizeMsisdn('6281234567890')).toBe('6281234567890')
  })

  it('masks the SMS code of a stored message', () => {
    expect(maskSmsCode('K7PQ 3 B 120 150 TS 6')).toBe('**** 3 B 120 150 TS 6')
    expect(maskSmsCode('k7pq#3#B')).toBe('****#3#B')
    expect(maskSmsCode('K7PQ3 B 1 2 TS 0')).toBe('****3 B 1 2 TS 0')
    expect(maskSmsCode('halo apa kabar')).toBe('halo apa kabar')
  })

  it('finds and masks every word that is the code, in any case and glued to the TPS', () => {
    expect(codeLikeWords('KOREKSI k7pq 3 B 120 150 TS 6 K7PQ3')).toEqual(['K7PQ'])
    expect(codeLikeWords('abcd 3 B')).toEqual(['ABCD'])
    expect(codeLikeWords('HALO 3 B')).toEqual([]) // L and O are not in the code alphabet
    expect(codeLikeWords('INFO PROMO 50RB')).toEqual([]) // I and O are not in the code alphabet
    expect(maskWords('KOREKSI k7pq 3 B 120 150 TS 6 K7PQ3', ['K7PQ'])).toBe(
      'KOREKSI **** 3 B 120 150 TS 6 ****3',
    )
    expect(maskWords('K7PQX 3', ['K7PQ'])).toBe('K7PQX 3') // another word that starts the same
  })

  it('fits a reply in 160 plain characters, keeping the example', () => {
    const long = fitSms('SALAH: ' + 'x'.repeat(300) + '.', ' Contoh: K7PQ 3 B 120 150 TS 6')
    expect(long.length).toBeLessThanOrEqual(160)
    expect(long.endsWith(' Contoh: K7PQ 3 B 120 150 TS 6')).toBe(true)
    expect(fitSms('DITERIMA é ', 'Padomasan')).toBe('DITERIMA e Padomasan')
  })

  it('takes the first variant of a reply that fits whole, else the last one shortened', () => {
    const figures = ' BUPATI 1=12 2=15 TS=1'
    const check = ' PERIKSA: ' + 'y'.repeat(100) + '.'
    // With the desa's name it is too long; without it, it fits.
    expect(
      fitSmsFirst(
        ['DITERIMA 000001-AB12 TPS003', ' Padomasan', figures, check + 'x'.repeat(10)],
        ['DITERIMA 000001-AB12 TPS003', figures, check],
        ['DITERIMA 000001-AB12 TPS003', figures],
      ),
    ).toBe('DITERIMA 000001-AB12 TPS003' + figures + check)
    const none = fitSmsFirst(['x'.repeat(200)], ['DITERIMA ' + 'z'.repeat(200), ' akhir'])
    expect(none.length).toBeLessThanOrEqual(160)
    expect(none.endsWith(' akhir')).toBe(true)
  })
})
