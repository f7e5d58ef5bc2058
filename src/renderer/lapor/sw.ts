// Service worker of the reporter form. It keeps the form's page and its assets on the phone so
// /lapor opens again with no signal (a reload at dusk in a field). It never answers API requests:
// reports wait in the page's own outbox and are resent from there, so nothing here can drop one.
// Browsers run service workers only on https:// or localhost; elsewhere the form works without it.

// Minimal shapes of the worker scope (the web tsconfig carries the DOM library, not WebWorker).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request
  respondWith(response: Response | Promise<Response>): void
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void
  skipWaiting(): Promise<void>
  readonly clients: { claim(): Promise<void> }
  readonly location: { origin: string }
}

const worker = self as unknown as WorkerScope
const CACHE = 'lapor-shell'
const SHELL = '/lapor'
const SHELL_TIMEOUT_MS = 4000

function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+)"/g)].map((m) => m[1]!)
}

/** Store a fresh copy of the page and its assets; drop assets of older builds. */
async function keepShell(response: Response): Promise<void> {
  const cache = await caches.open(CACHE)
  const html = await response.clone().text()
  const assets = assetsOf(html)
  await cache.put(SHELL, response)
  const missing: string[] = []
  for (const a of assets) if (!(await cache.match(a))) missing.push(a)
  await cache.addAll(missing)
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname
    if (path.startsWith('/assets/') && !assets.includes(path)) await cache.delete(req)
  }
}

async function fetchShell(): Promise<Response> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), SHELL_TIMEOUT_MS)
  try {
    const response = await fetch(SHELL, { cache: 'no-cache', signal: controller.signal })
    if (response.ok) await keepShell(response.clone())
    return response
  } finally {
    clearTimeout(timer)
  }
}

/** The page: the network when it answers quickly, else the copy on the phone. */
async function shell(): Promise<Response> {
  try {
    return await fetchShell()
  } catch {
    const cached = await caches.match(SHELL)
    if (cached) return cached
    throw new Error('offline and no copy of the form on this phone')
  }
}

/** Built assets never change under the same name: the phone's copy first. */
async function asset(request: Request): Promise<Response> {
  const cached = await caches.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) {
    const cache = await caches.open(CACHE)
    await cache.put(request, response.clone())
  }
  return response
}

worker.addEventListener('install', (e) => {
  e.waitUntil(
    fetch(SHELL, { cache: 'no-cache' })
      .then((r) => (r.ok ? keepShell(r) : undefined))
      .then(() => worker.skipWaiting()),
  )
})

worker.addEventListener('activate', (e) => {
  e.waitUntil(worker.clients.claim())
})

worker.addEventListener('fetch', (e) => {
  const request = e.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== worker.location.origin || url.pathname.startsWith('/api/')) return
  if (
    request.mode === 'navigate' &&
    (url.pathname === SHELL || url.pathname.startsWith(`${SHELL}/`))
  ) {
    e.respondWith(shell())
  } else if (url.pathname.startsWith('/assets/')) {
    e.respondWith(asset(request))
  }
})
