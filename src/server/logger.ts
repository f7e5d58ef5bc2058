export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

/** One JSON object per line. Callers never pass tokens or access codes; request logs omit query strings. */
export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const log = (level: string) => (msg: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }))
  return { info: log('info'), warn: log('warn'), error: log('error') }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
