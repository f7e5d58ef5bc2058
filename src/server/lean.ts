import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import type { z } from 'zod'
import { DeskError } from '../service/errors'
import type { Principal } from '../service/principal'
import { clientAddress } from './client-address'
import { checkJsonBytes, checkSurrogates } from './json-body'

/**
 * The hot route of election night — a report from the field, POST /api/v1/results — answered
 * without express's plumbing (issue 13: intake ≥ 0.6× a bare express endpoint). express routes
 * every request through its layers, wraps request and response, parses the URL, the body's type
 * and the query for each; at thousands of reports a second that was half the desk's CPU per
 * report. A lean route does the same steps in the same order with the same pieces — the client's
 * address, the security headers, the guard (`authorize`), the JSON edge (`checkJsonBytes`,
 * `checkSurrogates`), the route's own schema and code, the error shape, the request log — on
 * node's request and response directly.
 *
 * It takes only the plain form: `Content-Type: application/json` (UTF-8) and no content coding.
 * Everything else (a gzipped body, another charset, no type at all) it declines, and the same
 * route mounted in express answers it as before: one definition, two ways in (`jsonRoute`).
 */

/** What a lean route needs from the app around it (built by createServer). */
export interface LeanPlumbing {
  /** The client's address, resolved as the app's first middleware does it (trusted proxies). */
  identify(req: IncomingMessage): string
  /** Security headers, as every express answer carries them. */
  secure(res: ServerResponse): void
  /** The request log line, as express's logging middleware writes it. */
  logged(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    started: bigint,
    who: string | undefined,
    ip: string,
  ): void
  /** An error as the app's error handler answers it (unknown errors logged, answered 500). */
  fail(res: ServerResponse, err: unknown): void
}

/**
 * The guard of a route: a principal, or a DeskError (401, 403, 429 with its wait). `seen` hears who
 * the client is as soon as the token is checked, so a refusal after that (limit, role) is logged
 * with the account.
 */
export type Authorize = (
  req: IncomingMessage,
  address: string,
  seen: (principal: Principal) => void,
) => Promise<Principal>

export interface JsonRouteSpec<S extends z.ZodType> {
  /** The path under /api/v1 (e.g. `/results`). */
  path: string
  schema: S
  /** The body's byte limit (as express.json's `limit`). */
  limit: number
  /** Turns the raw body into the schema's input, or throws (`parse` in routes.ts). */
  parse: (schema: S, data: unknown) => z.infer<S>
  run: (
    principal: Principal,
    body: z.infer<S>,
    request: { header(name: string): string | undefined; address: string },
  ) => Promise<{ status: number; body: unknown }>
}

const API = '/api/v1'

/** UTF-8 JSON, as express.json takes it without a decoder: `application/json`, no charset or UTF-8. */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset=(?:"utf-8"|utf-8)[ \t]*)?$/i

/** The forms a lean route reads itself; anything else goes to express. */
function plainJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type']
  const coding = req.headers['content-encoding']
  // No body at all (neither length nor chunks): express answers "Isi permintaan kosong".
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined
  return (
    hasBody &&
    type !== undefined &&
    PLAIN_JSON.test(type) &&
    (coding === undefined || coding.toLowerCase() === 'identity')
  )
}

/** Answer `body` as JSON with `status` (express's res.json: same type, length, no ETag). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

const tooLarge = () => new DeskError(413, 'too_large', 'Berkas atau isi permintaan terlalu besar')

/**
 * The request's body, at most `limit` bytes. Too large by its Content-Length: refused before a byte
 * is read; too large as it streams: the rest is read off and dropped (the connection stays usable,
 * as with express.json), then refused.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (declared > limit) return reject(tooLarge())
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > limit) {
        over = true
        chunks.length = 0
      } else chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      if (over) reject(tooLarge())
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    // The request failed ("aborted": the socket closed mid-body) or the client hung up before the
    // end: nobody is left to answer, and nothing of it is stored.
    const gone = () => {
      cleanup()
      reject(new ClientGone())
    }
    const onError = gone
    const onClose = () => {
      if (!req.complete) gone()
    }
    // Gone while the guard ran: no 'close', 'data' or 'end' is coming any more.
    if (req.destroyed) return gone()
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
}

class ClientGone extends Error {}

const BOM = [0xef, 0xbb, 0xbf]
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d

/**
 * JSON bytes as express.json reads them: a UTF-8 BOM dropped, an empty body is `{}`, only an object
 * or array at the top (strict), the depth bound before parsing, lone surrogates refused after.
 */
export function parseJsonBytes(bytes: Buffer): unknown {
  let from = 0
  if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) from = 3
  if (bytes.length - from === 0) return {}
  const body = from === 0 ? bytes : bytes.subarray(from)
  // Depth first, as express.json's `verify` runs before its parse.
  const scan = checkJsonBytes(body)
  let i = 0
  while (i < body.length && isSpace(body[i]!)) i++
  if (body[i] !== 0x7b && body[i] !== 0x5b) throw badJson()
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch {
    throw badJson()
  }
  checkSurrogates(value, scan.surrogateEscape)
  return value
}

const badJson = () => new DeskError(400, 'bad_json', 'Isi permintaan bukan JSON yang sah')

/**
 * The lean routes of one app. `post` registers a JSON route's lean way in and returns its express
 * handler (mounted after the same guard and express.json, as every route): one `run`, two ways in.
 */
export class LeanRoutes {
  private readonly posts = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>()

  constructor(private readonly plumbing: LeanPlumbing) {}

  /** Answer `req` if a lean route takes it (true); false leaves it to express. */
  dispatch(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST' || this.posts.size === 0) return false
    const url = req.url ?? ''
    const q = url.indexOf('?')
    const handler = this.posts.get(q < 0 ? url : url.slice(0, q))
    if (!handler || !plainJson(req)) return false
    handler(req, res)
    return true
  }

  /**
   * Register `spec` as a lean POST route guarded by `authorize`, and return its express handler
   * (for the router, after the same guard and the JSON body parser): both ways run the same `run`.
   */
  post<S extends z.ZodType>(
    spec: JsonRouteSpec<S>,
    authorize: Authorize,
  ): (req: Request, res: Response, next: NextFunction) => Promise<void> {
    const { plumbing } = this
    const fullPath = API + spec.path
    this.posts.set(fullPath, (req, res) => {
      const started = process.hrtime.bigint()
      const address = plumbing.identify(req)
      plumbing.secure(res)
      let who: string | undefined
      const answer = async () => {
        try {
          const principal = await authorize(req, address, (p) => (who = p.id))
          const data = parseJsonBytes(await readBody(req, spec.limit))
          const body = spec.parse(spec.schema, data)
          const out = await spec.run(principal, body, {
            header: (name) => headerOf(req, name),
            address,
          })
          sendJson(res, out.status, out.body)
        } catch (e) {
          if (e instanceof ClientGone) return
          plumbing.fail(res, e)
        }
        plumbing.logged(req, res, fullPath, started, who, address)
      }
      void answer()
    })
    return async (req, res) => {
      const body = spec.parse(spec.schema, req.body)
      const out = await spec.run(res.locals.principal as Principal, body, {
        header: (name) => req.get(name),
        address: clientAddress(req),
      })
      res.status(out.status).json(out.body)
    }
  }
}

/** A request header by name (any case), as express's `req.get` reads it. */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()]
  return Array.isArray(v) ? v.join(', ') : v
}
