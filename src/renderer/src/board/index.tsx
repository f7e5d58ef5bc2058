import { lazy, Suspense } from 'react'
import type { ScreenProps } from '../routes'

// chart.js and d3-geo load only with the board: the console and the phones never pay for them.
const BoardScreen = lazy(() => import('./board').then((m) => ({ default: m.BoardScreen })))

export function BoardRoute(props: ScreenProps) {
  return (
    <Suspense fallback={<p style={{ fontSize: 32, padding: 32 }}>Memuat papan…</p>}>
      <BoardScreen {...props} />
    </Suspense>
  )
}
