import type { DeskRequestListener } from './app'

export interface RouteEntry {
  method: string
  /** Express path pattern, e.g. `/api/v1/tps/:code`. */
  path: string
}

interface Layer {
  rawPath?: unknown
  route?: { path: unknown; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

/**
 * Every API route the app answers, read from its routers (not from a list kept by hand): the
 * authorisation test and the fuzz proof enumerate these, so a new route is covered or fails.
 * Only string paths under `/api`; the UI's catch-all and static files are not API routes. Takes
 * the desk server's request listener (its app; the lean routes are mounted there too).
 */
export function listRoutes(listener: Pick<DeskRequestListener, 'app'>): RouteEntry[] {
  const out: RouteEntry[] = []
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') continue
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all')
            out.push({ method: method.toUpperCase(), path: prefix + layer.route.path })
        }
      } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
        walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath))
      }
    }
  }
  walk((listener.app as unknown as { router: { stack: Layer[] } }).router.stack, '')
  const seen = new Set<string>()
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`
    if (!r.path.startsWith('/api') || seen.has(key)) return false
    seen.add(key)
    return true
  })
}
