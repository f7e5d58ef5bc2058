import type { ComponentType } from 'react'
import type { ConfigDto } from '../../shared/api'
import { BoardRoute } from './board'
import { Console } from './console/console'
import { CredentialsScreen } from './credentials/credentials-screen'
import { PublicPage } from './publik/publik'
import { RecapScreen } from './recap/recap-screen'

export interface ScreenProps {
  config: ConfigDto
  onUnauthorized: () => void
}

export interface ScreenRoute {
  /** Path prefix, e.g. '/papan'. The longest matching prefix wins; '/' is the console. */
  path: string
  component: ComponentType<ScreenProps>
  /** Screens that need no sign-in (the public page). */
  public?: boolean
  /** Full-bleed screens (the wall board) draw their own header. */
  bare?: boolean
}

/** Every screen of the one UI. Each feature adds its line here. */
export const ROUTES: ScreenRoute[] = [
  { path: '/', component: Console },
  { path: '/papan', component: BoardRoute, bare: true },
  { path: '/publik', component: PublicPage, public: true, bare: true },
  { path: '/rekap', component: RecapScreen },
  { path: '/kredensial', component: CredentialsScreen },
]

export function matchRoute(pathname: string): ScreenRoute {
  const matches = ROUTES.filter(
    (r) => r.path === '/' || pathname === r.path || pathname.startsWith(r.path + '/'),
  )
  return matches.sort((a, b) => b.path.length - a.path.length)[0] ?? ROUTES[0]!
}
