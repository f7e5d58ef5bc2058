import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

/** The start screen lives on its own scheme: no desk is running yet to serve it. */
export const START_SCHEME = 'desk-app'
export const START_ORIGIN = `${START_SCHEME}://start`
export const START_URL = `${START_ORIGIN}/start.html`

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

/** The start page talks to nothing but the shell's bridge: no network, no inline script. */
export const START_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

/**
 * Answer a `desk-app://start/…` request from the built renderer folder. Only files inside that
 * folder, only GET, only the known file types: a crafted URL cannot read anything else on disk.
 */
export async function serveStartPage(
  rendererDir: string,
  request: { url: string; method: string },
): Promise<Response> {
  if (request.method !== 'GET') return new Response('Metode tidak diizinkan', { status: 405 })
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return new Response('Alamat tidak sah', { status: 400 })
  }
  if (`${url.protocol}//${url.host}` !== START_ORIGIN)
    return new Response('Tidak ditemukan', { status: 404 })
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'start.html'
  const file = normalize(join(rendererDir, relative))
  const type = TYPES[extname(file)]
  if (!file.startsWith(normalize(rendererDir + sep)) || !type || relative.includes('\0'))
    return new Response('Tidak ditemukan', { status: 404 })
  try {
    const body = await readFile(file)
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': START_CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    })
  } catch {
    return new Response('Tidak ditemukan', { status: 404 })
  }
}
