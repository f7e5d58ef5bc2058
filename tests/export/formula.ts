// A small evaluator for the formulas our workbooks write (SUM, SUBTOTAL(9,…), IF, ABS, + − × ÷,
// comparisons, references to other sheets), computed from the cached values of the cells they
// refer to. A wrong range or reference then shows as a formula whose value does not match.

import * as XLSX from 'xlsx'

type Value =
  number | string | { range: { sheet: string; s: XLSX.CellAddress; e: XLSX.CellAddress } }

export function evaluate(wb: XLSX.WorkBook, sheet: string, formula: string): number {
  let i = 0
  const src = formula
  const peek = () => src[i]
  const skip = () => {
    while (src[i] === ' ') i++
  }
  const cellValue = (sh: string, c: number, r: number): number => {
    const ws = wb.Sheets[sh]
    if (!ws) throw new Error(`no sheet ${sh}`)
    const cell = ws[XLSX.utils.encode_cell({ c, r })] as XLSX.CellObject | undefined
    return cell && typeof cell.v === 'number' ? cell.v : 0
  }
  const rangeValues = (v: Value, skipSubtotals: boolean): number[] => {
    if (typeof v === 'number') return [v]
    if (typeof v === 'string') throw new Error('text where a number belongs')
    const out: number[] = []
    const ws = wb.Sheets[v.range.sheet]!
    for (let r = v.range.s.r; r <= v.range.e.r; r++) {
      for (let c = v.range.s.c; c <= v.range.e.c; c++) {
        const cell = ws[XLSX.utils.encode_cell({ c, r })] as XLSX.CellObject | undefined
        if (!cell || typeof cell.v !== 'number') continue
        if (
          skipSubtotals &&
          typeof cell.f === 'string' &&
          cell.f.toUpperCase().startsWith('SUBTOTAL(')
        )
          continue
        out.push(cell.v)
      }
    }
    return out
  }
  const num = (v: Value): number => {
    if (typeof v === 'string') throw new Error('text where a number belongs')
    return typeof v === 'number' ? v : cellValue(v.range.sheet, v.range.s.c, v.range.s.r)
  }
  /** SUMIF(range, "text", sum range): the sum of the cells beside those equal to the text. */
  const sumIf = (range: Value, crit: Value, sum: Value): number => {
    if (typeof range !== 'object' || typeof sum !== 'object' || typeof crit !== 'string')
      throw new Error('SUMIF(range,"text",range) only')
    const ws = wb.Sheets[range.range.sheet]!
    let total = 0
    for (let r = range.range.s.r; r <= range.range.e.r; r++) {
      const key = ws[XLSX.utils.encode_cell({ c: range.range.s.c, r })] as
        XLSX.CellObject | undefined
      if (!key || String(key.v) !== crit) continue
      const at = ws[
        XLSX.utils.encode_cell({ c: sum.range.s.c, r: sum.range.s.r + (r - range.range.s.r) })
      ] as XLSX.CellObject | undefined
      if (at && typeof at.v === 'number') total += at.v
    }
    return total
  }

  function reference(): Value {
    let sh = sheet
    if (peek() === "'") {
      const end = src.indexOf("'!", i + 1)
      sh = src.slice(i + 1, end).replace(/''/g, "'")
      i = end + 2
    }
    const m = /^\$?([A-Z]+)\$?(\d+)/.exec(src.slice(i))
    if (!m) throw new Error(`bad reference at ${i} in ${src}`)
    i += m[0].length
    const s = XLSX.utils.decode_cell(`${m[1]}${m[2]}`)
    if (peek() === ':') {
      i++
      const m2 = /^\$?([A-Z]+)\$?(\d+)/.exec(src.slice(i))!
      i += m2[0].length
      return { range: { sheet: sh, s, e: XLSX.utils.decode_cell(`${m2[1]}${m2[2]}`) } }
    }
    return { range: { sheet: sh, s, e: s } }
  }

  function args(): Value[] {
    const list: Value[] = []
    i++ // (
    skip()
    if (peek() === ')') {
      i++
      return list
    }
    for (;;) {
      list.push(comparison())
      skip()
      if (peek() === ',') {
        i++
        continue
      }
      if (peek() === ')') {
        i++
        return list
      }
      throw new Error(`expected , or ) at ${i} in ${src}`)
    }
  }

  function factor(): Value {
    skip()
    const ch = peek()
    if (ch === '-') {
      i++
      return -num(factor())
    }
    if (ch === '(') {
      i++
      const v = comparison()
      skip()
      i++ // )
      return v
    }
    if (ch === '"') {
      let out = ''
      i++
      for (;;) {
        if (src[i] === '"' && src[i + 1] === '"') {
          out += '"'
          i += 2
        } else if (src[i] === '"') {
          i++
          return out
        } else {
          out += src[i++]
        }
      }
    }
    const numMatch = /^\d+(\.\d+)?/.exec(src.slice(i))
    if (numMatch) {
      i += numMatch[0].length
      return Number(numMatch[0])
    }
    const fn = /^([A-Z]+)\(/.exec(src.slice(i))
    if (fn) {
      i += fn[1]!.length
      const a = args()
      switch (fn[1]) {
        case 'SUM':
          return a.flatMap((v) => rangeValues(v, false)).reduce((x, y) => x + y, 0)
        case 'SUBTOTAL':
          if (num(a[0]!) !== 9) throw new Error('only SUBTOTAL(9,…)')
          return a
            .slice(1)
            .flatMap((v) => rangeValues(v, true))
            .reduce((x, y) => x + y, 0)
        case 'IF':
          return num(a[0]!) ? num(a[1]!) : num(a[2]!)
        case 'SUMIF':
          return sumIf(a[0]!, a[1]!, a[2]!)
        case 'ABS':
          return Math.abs(num(a[0]!))
        default:
          throw new Error(`unknown function ${fn[1]}`)
      }
    }
    return reference()
  }

  function term(): Value {
    let v = factor()
    for (;;) {
      skip()
      const op = peek()
      if (op !== '*' && op !== '/') return v
      i++
      const rhs = num(factor())
      v = op === '*' ? num(v) * rhs : num(v) / rhs
    }
  }

  function expr(): Value {
    let v = term()
    for (;;) {
      skip()
      const op = peek()
      if (op !== '+' && op !== '-') return v
      i++
      const rhs = num(term())
      v = op === '+' ? num(v) + rhs : num(v) - rhs
    }
  }

  function comparison(): Value {
    const lhs = expr()
    skip()
    const m = /^(<>|<=|>=|=|<|>)/.exec(src.slice(i))
    if (!m) return lhs
    i += m[0].length
    const a = num(lhs)
    const b = num(expr())
    const r = { '=': a === b, '<>': a !== b, '<': a < b, '>': a > b, '<=': a <= b, '>=': a >= b }[
      m[0] as '='
    ]
    return r ? 1 : 0
  }

  const v = comparison()
  if (i < src.length) throw new Error(`trailing input at ${i} in ${src}`)
  return num(v)
}

/** Every formula cell of the workbook whose filled value differs from its formula's result. */
export function formulaMismatches(
  wb: XLSX.WorkBook,
): { sheet: string; cell: string; f: string; v: unknown; computed: number }[] {
  const bad: { sheet: string; cell: string; f: string; v: unknown; computed: number }[] = []
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!
    for (const key of Object.keys(ws)) {
      if (key.startsWith('!')) continue
      const cell = ws[key] as XLSX.CellObject
      if (typeof cell.f !== 'string') continue
      const computed = evaluate(wb, name, cell.f)
      if (typeof cell.v !== 'number' || Math.abs(computed - cell.v) > 1e-9)
        bad.push({ sheet: name, cell: key, f: cell.f, v: cell.v, computed })
    }
  }
  return bad
}

export function formulaCount(wb: XLSX.WorkBook): number {
  let n = 0
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!
    for (const key of Object.keys(ws))
      if (!key.startsWith('!') && typeof (ws[key] as XLSX.CellObject).f === 'string') n++
  }
  return n
}
