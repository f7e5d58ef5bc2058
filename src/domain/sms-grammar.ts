// The coded SMS a reporter without data signal sends (issue 15, docs/SMS.md):
//
//   <SMS code> [KOREKSI] [<desa>] [TPS] <TPS number> <contest> <pair 1> <pair 2> … TS <invalid> [<contest> … TS <invalid>]…
//
// e.g. `K7PQ 3 B 120 150 TS 6`. Case-insensitive; tokens are separated by spaces, commas, dots, `#`
// or `*` (what a feature phone's keypad offers). Look-alike letters in numbers (O → 0, I/l → 1) are
// read as digits, as NDI's Apollo does. Pure: no I/O, never throws on any input.

export interface SmsContestRef {
  id: string
  /** Short label used in replies and errors, e.g. "Bupati". */
  label: string
  /** Candidate numbers in the order the SMS lists them: pairs 1, 2, … then kolom kosong (0). */
  order: number[]
}

export interface SmsDesaRef {
  code: string
  name: string
}

export interface SmsContext {
  contests: SmsContestRef[]
  /** The desa a sender may name: their own for a desa reporter, every desa of the kecamatan for an officer. */
  desa: SmsDesaRef[]
  /** A desa reporter's own desa (the TPS number alone is enough); null for a kecamatan officer. */
  ownDesa: string | null
}

export interface SmsContestReport {
  contest: string
  votes: Record<string, number>
  invalid: number
}

/** What could be read of a message that is refused, to prefill the phoned-in entry form. */
export interface SmsPartial {
  desa?: string
  tpsNumber?: number
  contest?: string
  votes?: Record<string, number>
  invalid?: number
}

export type SmsParse =
  | { ok: true; correction: boolean; desa: string; tpsNumber: number; reports: SmsContestReport[] }
  | { ok: false; error: string; partial: SmsPartial; correction: boolean }

export const SMS_CODE_LENGTH = 4
const SEPARATORS = /[\s,.#*]+/
const MAX_TOKENS = 80

/** Split a message into upper-case tokens (at most 80: an SMS is short; a flood is not read). */
export function smsTokens(text: string): string[] {
  return String(text ?? '')
    .slice(0, 2000)
    .toUpperCase()
    .split(SEPARATORS)
    .filter((t) => t.length > 0)
    .slice(0, MAX_TOKENS)
}

/** The SMS code (first token) and the rest; the code is checked by the caller against the sender's. */
export function splitSmsCode(text: string): { code: string | null; rest: string[] } {
  const tokens = smsTokens(text)
  const first = tokens[0]
  if (!first) return { code: null, rest: [] }
  // The TPS typed against the code ("K7PQ3 B …"): the code is always 4 characters.
  const glued = /^([A-Z0-9]{4})(\d{1,3}[A-Z]*)$/.exec(first)
  if (glued) return { code: glued[1]!, rest: [glued[2]!, ...tokens.slice(1)] }
  return { code: first, rest: tokens.slice(1) }
}

/** A number as typed on a keypad: look-alike letters read as digits; null when it is not a number. */
export function readSmsNumber(token: string): number | null {
  const mapped = token.toUpperCase().replace(/[O]/g, '0').replace(/[IL|]/g, '1')
  if (!/^\d{1,6}$/.test(mapped)) return null
  return Number(mapped)
}

/** A token that is plainly a number: real digits, perhaps with a look-alike among them ("12O"). */
function isNumberish(token: string): boolean {
  return /\d/.test(token) && readSmsNumber(token) !== null
}

const normName = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '')

function findContest(token: string, ctx: SmsContext): SmsContestRef | null {
  const byId = ctx.contests.find((c) => c.id.toUpperCase() === token)
  if (byId) return byId
  if (token.length === 1) {
    const same = ctx.contests.filter((c) => c.id.toUpperCase().startsWith(token))
    if (same.length === 1) return same[0]!
  }
  return null
}

/** Letters that name a contest here: its first letter where unique, otherwise its id. */
export function contestKeys(contests: SmsContestRef[]): Map<string, string> {
  const keys = new Map<string, string>()
  for (const c of contests) {
    const letter = c.id[0]!.toUpperCase()
    const unique = contests.filter((o) => o.id[0]!.toUpperCase() === letter).length === 1
    keys.set(c.id, unique ? letter : c.id.toUpperCase())
  }
  return keys
}

function resolveDesa(words: string[], ctx: SmsContext): { code: string } | { error: string } {
  const typed = words.join(' ')
  const key = normName(words.join(''))
  if (/^\d{4}$/.test(key)) {
    const byCode = ctx.desa.filter((d) => d.code.endsWith('.' + key))
    if (byCode.length === 1) return { code: byCode[0]!.code }
  }
  if (key.length < 3)
    return { error: `desa "${typed}" terlalu pendek, tulis minimal 3 huruf namanya` }
  const exact = ctx.desa.filter((d) => normName(d.name) === key)
  if (exact.length === 1) return { code: exact[0]!.code }
  const starts = ctx.desa.filter((d) => normName(d.name).startsWith(key))
  if (starts.length === 1) return { code: starts[0]!.code }
  if (starts.length > 1) {
    return {
      error: `desa "${typed}" lebih dari satu: ${starts
        .slice(0, 3)
        .map((d) => d.name.toUpperCase())
        .join(', ')}`,
    }
  }
  return {
    error: ctx.ownDesa
      ? `desa "${typed}" bukan desa Anda`
      : `desa "${typed}" tidak ada di kecamatan Anda`,
  }
}

/** The word TPS right before the TPS number ("TPS 3"), or alone at the end ("… TPS"). */
function isTpsWord(rest: string[], i: number): boolean {
  return rest[i] === 'TPS' && (i + 1 >= rest.length || isNumberish(rest[i + 1]!))
}

/**
 * Tokens typed without their space: "TPS3" → TPS 3, and a number against a contest's key
 * ("3B" → 3 B, "3BUPATI" → 3 BUPATI). A look-alike digit ("12O") is not split: O names no contest.
 */
function separateGlued(tokens: string[], ctx: SmsContext): string[] {
  const out: string[] = []
  for (const t of tokens) {
    const tps = /^TPS(\d{1,3}[A-Z]*)$/.exec(t)
    const parts = tps ? ['TPS', tps[1]!] : [t]
    for (const p of parts) {
      const glued = /^(\d{1,3})([A-Z]+)$/.exec(p)
      if (glued && findContest(glued[2]!, ctx)) out.push(glued[1]!, glued[2]!)
      else out.push(p)
    }
  }
  return out
}

/**
 * Read everything after the SMS code. Never throws: anything unreadable is a refusal with a short
 * reason in Indonesian (the reply adds "SALAH:" and an example) and what could be read so far.
 */
export function parseSmsReport(tokens: string[], ctx: SmsContext): SmsParse {
  const partial: SmsPartial = {}
  let correction = false
  let i = 0
  const fail = (error: string): SmsParse => ({ ok: false, error, partial, correction })
  try {
    const rest = separateGlued(tokens, ctx)
    if (rest[i] === 'KOREKSI') {
      correction = true
      i++
    }
    // The desa: words before the first number (a kecamatan officer names it; a desa reporter may).
    const words: string[] = []
    while (
      i < rest.length &&
      !isNumberish(rest[i]!) &&
      !(words.length === 0 && /^\d{4}$/.test(rest[i]!)) &&
      !isTpsWord(rest, i)
    ) {
      // A contest letter right where the TPS should be: the TPS number is missing.
      if (words.length === 0 && ctx.ownDesa && findContest(rest[i]!, ctx)) break
      words.push(rest[i]!)
      i++
    }
    // A desa named by its 4-digit code (the last part of its Kemendagri code).
    if (
      words.length === 0 &&
      /^\d{4}$/.test(rest[i] ?? '') &&
      ctx.desa.some((d) => d.code.endsWith('.' + rest[i]))
    ) {
      words.push(rest[i]!)
      i++
    }
    let desa: string
    if (words.length > 0) {
      const found = resolveDesa(words, ctx)
      if ('error' in found) return fail(found.error)
      desa = found.code
    } else if (ctx.ownDesa) {
      desa = ctx.ownDesa
    } else {
      return fail('sebutkan desa sebelum nomor TPS')
    }
    partial.desa = desa

    // "TPS 3": the word is optional.
    if (isTpsWord(rest, i)) i++
    const tpsToken = rest[i]
    if (tpsToken === undefined) return fail('nomor TPS tidak ada')
    const tpsNumber = readSmsNumber(tpsToken)
    if (tpsNumber === null || tpsNumber < 1 || tpsNumber > 999)
      return fail(`nomor TPS "${tpsToken}" tidak terbaca`)
    partial.tpsNumber = tpsNumber
    i++

    const reports: SmsContestReport[] = []
    const keys = contestKeys(ctx.contests)
    const keyList = ctx.contests.map((c) => keys.get(c.id)).join('/')
    if (i >= rest.length) return fail(`pemilihan (${keyList}) dan angkanya tidak ada`)
    while (i < rest.length) {
      const contestToken = rest[i]!
      const contest = findContest(contestToken, ctx)
      if (!contest) return fail(`pemilihan "${contestToken}" tidak dikenal, pakai ${keyList}`)
      if (reports.some((r) => r.contest === contest.id))
        return fail(`${contest.label} ditulis dua kali`)
      partial.contest = contest.id
      delete partial.votes
      delete partial.invalid
      i++
      const numbers: number[] = []
      while (
        i < rest.length &&
        rest[i] !== 'TS' &&
        !/^TS[=:]?\S/.test(rest[i]!) &&
        !findContest(rest[i]!, ctx)
      ) {
        const n = readSmsNumber(rest[i]!)
        if (n === null) return fail(`angka "${rest[i]}" untuk ${contest.label} tidak terbaca`)
        numbers.push(n)
        i++
      }
      if (numbers.length !== contest.order.length) {
        // The numbers in pair order as far as they go: the operator checks them on the call back.
        partial.votes = Object.fromEntries(
          contest.order.slice(0, numbers.length).map((number, k) => [String(number), numbers[k]!]),
        )
        return fail(
          `jumlah paslon ${contest.label} ${contest.order.length}, diterima ${numbers.length} angka`,
        )
      }
      const votes: Record<string, number> = {}
      contest.order.forEach((number, k) => (votes[String(number)] = numbers[k]!))
      partial.votes = votes
      let invalid: number | null = null
      const glued = /^TS[=:]?(\S+)$/.exec(rest[i] ?? '')
      if (rest[i] === 'TS') {
        i++
        if (i >= rest.length) return fail(`angka TS (suara tidak sah) ${contest.label} tidak ada`)
        invalid = readSmsNumber(rest[i]!)
        if (invalid === null) return fail(`angka TS ${contest.label} "${rest[i]}" tidak terbaca`)
        i++
      } else if (glued) {
        invalid = readSmsNumber(glued[1]!)
        if (invalid === null) return fail(`angka TS ${contest.label} "${glued[1]}" tidak terbaca`)
        i++
      } else {
        return fail(`TS (suara tidak sah) ${contest.label} tidak ada`)
      }
      partial.invalid = invalid
      reports.push({ contest: contest.id, votes, invalid })
    }
    return { ok: true, correction, desa, tpsNumber, reports }
  } catch {
    // Defensive: a bug here must cost one refused SMS, never the gateway loop.
    return fail('pesan tidak terbaca')
  }
}

/** An example message for this sender, for the "how to fix it" part of a reply. */
export function smsExample(code: string, ctx: SmsContext, contestId?: string): string {
  const keys = contestKeys(ctx.contests)
  const contest =
    ctx.contests.find((c) => c.id === contestId) ?? ctx.contests[ctx.contests.length - 1]
  const desa = ctx.ownDesa ? '' : ` ${(ctx.desa[0]?.name ?? 'DESA').toUpperCase().split(/\s+/)[0]}`
  if (!contest) return `${code}${desa} 3`
  const sample = [120, 150, 90, 60, 40, 30, 20, 10, 5, 5, 5, 5]
  const votes = contest.order.map((_, k) => sample[k] ?? 5).join(' ')
  return `${code}${desa} 3 ${keys.get(contest.id)} ${votes} TS 6`
}
