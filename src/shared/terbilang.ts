// Numbers in Indonesian words ("terbilang"), as written on official forms and read aloud over the
// phone: an operator reads 123 back as "seratus dua puluh tiga" so a caller hears a mistyped digit.

const UNITS = [
  'nol',
  'satu',
  'dua',
  'tiga',
  'empat',
  'lima',
  'enam',
  'tujuh',
  'delapan',
  'sembilan',
]

/** 0–999 in words; "" for 0 inside a bigger number. */
function belowThousand(n: number): string {
  const words: string[] = []
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  if (hundreds === 1) words.push('seratus')
  else if (hundreds > 1) words.push(`${UNITS[hundreds]} ratus`)
  if (rest === 10) words.push('sepuluh')
  else if (rest === 11) words.push('sebelas')
  else if (rest > 11 && rest < 20) words.push(`${UNITS[rest - 10]} belas`)
  else if (rest >= 20) {
    words.push(`${UNITS[Math.floor(rest / 10)]} puluh`)
    if (rest % 10 > 0) words.push(UNITS[rest % 10]!)
  } else if (rest > 0) words.push(UNITS[rest]!)
  return words.join(' ')
}

const SCALES: [number, string][] = [
  [1e12, 'triliun'],
  [1e9, 'miliar'],
  [1e6, 'juta'],
  [1e3, 'ribu'],
]

/**
 * A whole number 0 ≤ n < 10^15 in Indonesian words: 0 → "nol", 1.000 → "seribu",
 * 2.500.011 → "dua juta lima ratus ribu sebelas". Throws on anything else: a wrong reading is
 * worse than none.
 */
export function terbilang(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e15) {
    throw new RangeError(`terbilang: ${n} bukan bilangan bulat 0 sampai 999 triliun`)
  }
  if (n === 0) return UNITS[0]!
  const words: string[] = []
  let rest = n
  for (const [size, name] of SCALES) {
    const chunk = Math.floor(rest / size)
    rest %= size
    if (chunk === 0) continue
    // "seribu", not "satu ribu"; but "satu juta", "satu miliar".
    words.push(chunk === 1 && size === 1e3 ? 'seribu' : `${belowThousand(chunk)} ${name}`)
  }
  if (rest > 0) words.push(belowThousand(rest))
  return words.join(' ')
}

const EN_UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
]
const EN_TENS = [
  '',
  '',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
]

function enBelowThousand(n: number): string {
  const words: string[] = []
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  if (hundreds > 0) words.push(`${EN_UNITS[hundreds]} hundred`)
  if (rest >= 20)
    words.push(EN_TENS[Math.floor(rest / 10)]! + (rest % 10 ? `-${EN_UNITS[rest % 10]}` : ''))
  else if (rest > 0) words.push(EN_UNITS[rest]!)
  return words.join(' ')
}

/** The same in English, for an operator who switched the console to English. */
export function numberInEnglish(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e15)
    throw new RangeError(`numberInEnglish: ${n} out of range`)
  if (n === 0) return 'zero'
  const words: string[] = []
  let rest = n
  for (const [size, name] of [
    [1e12, 'trillion'],
    [1e9, 'billion'],
    [1e6, 'million'],
    [1e3, 'thousand'],
  ] as const) {
    const chunk = Math.floor(rest / size)
    rest %= size
    if (chunk > 0) words.push(`${enBelowThousand(chunk)} ${name}`)
  }
  if (rest > 0) words.push(enBelowThousand(rest))
  return words.join(' ')
}
