// Plain-text helpers of the SMS channel (issue 15): phone numbers, masking, the 160-character reply.

/**
 * An Indonesian mobile number in one form, 62 followed by the subscriber number: "0812-3456 789",
 * "+62 812 3456 789" and "62812…" are the same sender. Empty when there are no digits.
 */
export function normalizeMsisdn(raw: string): string {
  const digits = String(raw ?? '').replace(/\D/g, '')
  if (digits.startsWith('62')) return digits
  if (digits.startsWith('0')) return '62' + digits.slice(1)
  if (digits.startsWith('8')) return '62' + digits
  return digits
}

/**
 * The stored copy of a message hides its SMS code (the first word when it could be one): the log
 * is read by operators and the code would let anyone with the reporter's phone number send results.
 */
export function maskSmsCode(text: string): string {
  // The access-code alphabet (no 0/O, 1/l/I): "HALO" is a word, "K7PQ" may be a code.
  return String(text ?? '').replace(/^(\s*)[2-9A-HJKMNP-Za-hjkmnp-z]{4}(?=$|[\s,.#*]|\d)/, '$1****')
}

const CODE_CHARS = /^[2-9A-HJKMNP-Z]{4}$/

/**
 * Words of a message that could be an SMS code (4 characters of the code alphabet, or such a code
 * with the TPS typed against it, "K7PQ3"), upper-case, each once, in order.
 */
export function codeLikeWords(text: string): string[] {
  const out: string[] = []
  for (const run of String(text ?? '')
    .toUpperCase()
    .match(/[A-Z0-9]+/g) ?? []) {
    const w = CODE_CHARS.test(run)
      ? run
      : /^[2-9A-HJKMNP-Z]{4}\d/.test(run)
        ? run.slice(0, 4)
        : null
    if (w && !out.includes(w)) out.push(w)
  }
  return out
}

/**
 * Hide every word that equals one of `codes` (any case; also a code with the TPS typed against it,
 * "K7PQ3" → "****3"): a reporter who repeats the code later in the message, or writes it after
 * another word, must not leave it readable in the log.
 */
export function maskWords(text: string, codes: string[]): string {
  const wanted = new Set(codes.map((c) => c.toUpperCase()).filter((c) => c.length === 4))
  if (wanted.size === 0) return text
  return String(text ?? '').replace(/[A-Za-z0-9]+/g, (run) => {
    const upper = run.toUpperCase()
    if (wanted.has(upper)) return '****'
    if (wanted.has(upper.slice(0, 4)) && /^\d/.test(upper.slice(4))) return '****' + run.slice(4)
    return run
  })
}

/** One word per capital: "PADOMASAN" → "Padomasan", "bupati" → "Bupati". */
export function titleCase(s: string): string {
  return s
    .toLowerCase()
    .replace(/(^|[\s-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase())
}

/** Only printable ASCII: one SMS holds 160 such characters (GSM 7-bit); an accent would halve it. */
export function smsAscii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/[[\]{}\\^~|]/g, '')
}

export const SMS_MAX = 160

/**
 * A reply of at most 160 characters: the pieces in order, dropping the optional middle ones
 * (everything but the first and last) that do not fit, then cutting the head if still too long.
 */
export function fitSms(head: string, ...rest: string[]): string {
  const pieces = [head, ...rest].map(smsAscii)
  const full = pieces.join('')
  if (full.length <= SMS_MAX) return full
  const tail = pieces.length > 1 ? pieces[pieces.length - 1]! : ''
  let text = pieces[0]!
  for (const middle of pieces.slice(1, -1))
    if ((text + middle + tail).length <= SMS_MAX) text += middle
  if ((text + tail).length <= SMS_MAX) return text + tail
  if (tail.length > 0 && tail.length < SMS_MAX - 20)
    return text.slice(0, SMS_MAX - tail.length - 3) + '...' + tail
  return (text + tail).slice(0, SMS_MAX - 3) + '...'
}

/**
 * The first of `variants` (each the pieces of one reply, joined) that fits one SMS whole; when none
 * does, the last shortened as `fitSms` does. For replies with something worth saying in full if
 * there is room, and shorter or without it if not.
 */
export function fitSmsFirst(...variants: string[][]): string {
  for (const pieces of variants) {
    const text = pieces.map(smsAscii).join('')
    if (text.length <= SMS_MAX) return text
  }
  const last = variants[variants.length - 1] ?? ['']
  return fitSms(last[0] ?? '', ...last.slice(1))
}
