import type { RowError } from '../shared/api'

/** An error meant for the user: HTTP status, stable code, Indonesian message, the fields or rows at fault. */
export class DeskError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly rows?: RowError[],
  ) {
    super(message)
  }
}

/** Too many requests: the client may ask again in `seconds` (sent as Retry-After). */
export class RateLimited extends DeskError {
  constructor(readonly seconds: number) {
    super(429, 'rate_limited', `Terlalu banyak permintaan. Coba lagi dalam ${seconds} detik.`)
  }
}

export const notFound = (message: string) => new DeskError(404, 'not_found', message)
export const forbidden = (message: string) => new DeskError(403, 'forbidden', message)
export const invalid = (message: string, fields?: Record<string, string>) =>
  new DeskError(400, 'invalid', message, fields)
