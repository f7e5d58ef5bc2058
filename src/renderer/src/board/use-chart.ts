import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  type ChartConfiguration,
  type ChartType,
} from 'chart.js'
import { useEffect, useRef, type DependencyList, type RefObject } from 'react'

let registered = false
function register(): void {
  if (registered) return
  Chart.register(BarController, BarElement, CategoryScale, LinearScale)
  registered = true
}

/**
 * A chart.js chart on a canvas for the life of the component: made from `create()` on mount,
 * destroyed on unmount (a board left open all night must not pile up charts), and brought up to
 * date by `update(chart)` whenever `deps` change, then redrawn at once, without animation (a wall
 * display shows the state, not a transition). Returns the ref for the <canvas>.
 */
export function useChart<T extends ChartType>(
  create: () => ChartConfiguration<T>,
  update: (chart: Chart<T>) => void,
  deps: DependencyList,
): RefObject<HTMLCanvasElement | null> {
  const canvas = useRef<HTMLCanvasElement>(null)
  const chart = useRef<Chart<T> | null>(null)
  // Made once: the configuration given on the first render is the one used.
  const initial = useRef(create)

  useEffect(() => {
    register()
    const c = new Chart(canvas.current!, initial.current())
    chart.current = c
    return () => {
      c.destroy()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const c = chart.current
    if (!c) return
    update(c)
    c.update('none')
    // `update` is a new closure on every render; `deps` say when it has something new to apply.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps are the dependency list
  }, deps)

  return canvas
}
