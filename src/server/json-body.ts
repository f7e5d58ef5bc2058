import express, { type NextFunction, type Request, type Response } from 'express'
import { DeskError } from '../service/errors'

/**
 * JSON bodies are bounded before they are parsed. Deeply nested input (5,000 arrays in `votes`)
 * once overflowed the stack of recursive code behind the parser and answered 500; 400 levels is
 * far beyond any body the desk takes (its deepest is 3).
 */
export const MAX_JSON_DEPTH = 400

const OPEN_OBJECT = 0x7b
const OPEN_ARRAY = 0x5b
const CLOSE_OBJECT = 0x7d
const CLOSE_ARRAY = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/** What one pass over raw JSON bytes (UTF-8) tells before parsing. */
export interface JsonScan {
  /** The deepest nesting of objects and arrays (strings skipped); the scan stops once past the limit. */
  depth: number
  /**
   * A `\uD800`–`\uDFFF` escape occurs in a string. In UTF-8 bytes a lone surrogate can only come
   * from such an escape (the decoder turns encoded surrogates into U+FFFD), so a body without one
   * needs no surrogate walk after parsing.
   */
  surrogateEscape: boolean
}

const LOWER_U = 0x75
const isD = (b: number | undefined) => b === 0x64 || b === 0x44
/** 8, 9, a–f, A–F: the second hex digit of D800–DFFF. */
const isHighHalfDigit = (b: number | undefined) =>
  b === 0x38 ||
  b === 0x39 ||
  (b !== undefined && ((b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)))

/** Depth and surrogate escapes of raw JSON bytes, counted without parsing. Stops past `limit`. */
export function scanJson(bytes: Uint8Array, limit = MAX_JSON_DEPTH): JsonScan {
  let depth = 0
  let deepest = 0
  let inString = false
  let surrogateEscape = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (inString) {
      if (b === BACKSLASH) {
        i++
        if (bytes[i] === LOWER_U && isD(bytes[i + 1]) && isHighHalfDigit(bytes[i + 2]))
          surrogateEscape = true
      } else if (b === QUOTE) inString = false
      continue
    }
    if (b === QUOTE) inString = true
    else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > limit) return { depth: deepest, surrogateEscape }
      }
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) depth--
  }
  return { depth: deepest, surrogateEscape }
}

/** The deepest nesting of objects and arrays in raw JSON bytes, counted without parsing (strings skipped). Stops past `limit`. */
export function jsonDepth(bytes: Uint8Array, limit = MAX_JSON_DEPTH): number {
  return scanJson(bytes, limit).depth
}

// With the `u` flag a proper surrogate pair is one code point: only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u

/**
 * The path (`votes.2`, `contest`, …) of the first string or key holding a lone UTF-16 surrogate
 * (`"\udc00"`), or null. SQLite would store such text as invalid UTF-8, which breaks every reader
 * of the refusals and audit logs. Walks with its own stack, so no input depth can overflow it.
 */
export function loneSurrogateAt(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }]
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key)
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return path || '_'
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: join(path, String(i)) })
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return join(path, k.replace(LONE_SURROGATE, '\uFFFD'))
        stack.push({ value: child, path: join(path, k) })
      }
    }
  }
  return null
}

/** The depth bound on raw JSON bytes, before parsing: 400 `too_deep` past MAX_JSON_DEPTH. */
export function checkJsonBytes(bytes: Uint8Array): JsonScan {
  const scan = scanJson(bytes)
  if (scan.depth > MAX_JSON_DEPTH) {
    throw new DeskError(
      400,
      'too_deep',
      `Isi JSON bersarang terlalu dalam (paling dalam ${MAX_JSON_DEPTH} tingkat)`,
      {
        _: `Paling dalam ${MAX_JSON_DEPTH} tingkat`,
      },
    )
  }
  return scan
}

/** 400 `bad_text` naming the first string holding a lone surrogate, when the body may hold one. */
export function checkSurrogates(body: unknown, mayHold: boolean): void {
  const at = mayHold ? loneSurrogateAt(body) : null
  if (at === null) return
  throw new DeskError(
    400,
    'bad_text',
    `Teks pada ${at} berisi karakter yang tidak sah (setengah pasangan surrogate UTF-16). Ketik ulang isinya.`,
    {
      [at]: 'Berisi karakter yang tidak sah',
    },
  )
}

/** Requests whose body needs the surrogate walk after parsing (an escape seen, or not UTF-8). */
const mayHoldSurrogate = new WeakSet<object>()

/**
 * express.json with the depth bound (checked on the raw bytes, before parsing) and the surrogate
 * check. The lean way in (lean.ts) runs the same two checks on the bytes it reads itself.
 */
export function jsonBody(limit: string): (req: Request, res: Response, next: NextFunction) => void {
  const parse = express.json({
    limit,
    verify: (req, _res, buf, encoding) => {
      const scan = checkJsonBytes(buf)
      // UTF-16 bodies carry surrogates as raw code units, not escapes: those are always walked.
      const utf8 = encoding === 'utf-8' || encoding === 'utf8'
      if (scan.surrogateEscape || !utf8) mayHoldSurrogate.add(req)
    },
  })
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(err)
      try {
        checkSurrogates(req.body, mayHoldSurrogate.has(req))
      } catch (e) {
        return next(e)
      }
      next()
    })
}
