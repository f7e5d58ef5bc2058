import { useEffect, useRef, useState } from 'react'
import type { StreamEvent } from '../../../shared/events'
import type { BoardLayoutDto, BoardSummaryDto } from '../../../shared/board'
import { api, ApiFailure, subscribe } from '../api'
import { BoardModel, LIVE_EVENTS, REFRESH_EVENTS } from '../../../shared/board-model'

export interface BoardLive {
  model: BoardModel | null
  layout: BoardLayoutDto | null
  /** Bumped once per animation frame in which something changed. */
  revision: number
  connected: boolean
  /** When the connection dropped (null while connected). */
  downSince: Date | null
}

/** A summary is read again at most this often, however many events ask for it. */
const REFRESH_GAP_MS = 1_500
/** Past this many queued events, apply them now instead of waiting for a frame (a hidden tab gets none). */
const QUEUE_LIMIT = 2_000

/**
 * The board's data: summary and layout read once, then Server-Sent Events applied in batches of
 * one animation frame. No polling. A dropped stream is resumed by the browser with Last-Event-ID
 * (the desk replays what was missed); a summary is reread only when an event rewrites the past.
 */
export function useBoardLive(onUnauthorized: () => void): BoardLive {
  const [state, setState] = useState<{ model: BoardModel | null; layout: BoardLayoutDto | null }>({
    model: null,
    layout: null,
  })
  const [revision, setRevision] = useState(0)
  const [link, setLink] = useState<{ connected: boolean; downSince: Date | null }>({
    connected: false,
    downSince: null,
  })
  const unauthorized = useRef(onUnauthorized)
  unauthorized.current = onUnauthorized

  useEffect(() => {
    let stopped = false
    let model: BoardModel | null = null
    let layout: BoardLayoutDto | null = null
    let queue: StreamEvent[] = []
    let frame = 0
    let unsubscribe: (() => void) | null = null
    let retryTimer: ReturnType<typeof setTimeout> | null = null
    let refreshTimer: ReturnType<typeof setTimeout> | null = null
    let refreshing = false
    let refreshAgain = false
    let layoutStale = false
    let lastRefresh = 0
    /** Events that arrived while a fresh summary was on its way, to apply on top of it. */
    let held: StreamEvent[] | null = null

    const failed = (e: unknown) => {
      if (e instanceof ApiFailure && e.status === 401) unauthorized.current()
    }
    const down = () => setLink((l) => ({ connected: false, downSince: l.downSince ?? new Date() }))

    const flush = () => {
      if (frame) cancelAnimationFrame(frame)
      frame = 0
      if (!model || queue.length === 0) return
      let changed = false
      let refresh = false
      for (const e of queue) {
        held?.push(e)
        const outcome = model.apply(e)
        if (outcome === 'applied') changed = true
        else if (outcome === 'refresh') {
          refresh = true
          if (e.type === 'boundaries.imported') layoutStale = true
        }
      }
      queue = []
      if (refresh) requestRefresh()
      if (changed) setRevision((r) => r + 1)
    }

    const onEvent = (e: StreamEvent) => {
      queue.push(e)
      if (queue.length >= QUEUE_LIMIT || document.hidden) flush()
      else if (!frame) frame = requestAnimationFrame(flush)
    }

    const requestRefresh = () => {
      if (refreshing) {
        refreshAgain = true
        return
      }
      if (refreshTimer) return
      refreshTimer = setTimeout(
        () => void refresh(),
        Math.max(0, lastRefresh + REFRESH_GAP_MS - Date.now()),
      )
    }

    const refresh = async () => {
      refreshTimer = null
      refreshing = true
      lastRefresh = Date.now()
      held = []
      try {
        const [summary, newLayout] = await Promise.all([
          api<BoardSummaryDto>('/board/summary'),
          layoutStale ? api<BoardLayoutDto>('/board/layout') : Promise.resolve(layout),
        ])
        if (stopped) return
        layoutStale = false
        const next = new BoardModel(summary)
        let again = false
        for (const e of held) if (next.apply(e) === 'refresh') again = true
        model = next
        layout = newLayout
        setState({ model, layout })
        setRevision((r) => r + 1)
        if (again) refreshAgain = true
      } catch (e) {
        failed(e)
        refreshAgain = true
      } finally {
        held = null
        refreshing = false
        if (refreshAgain && !stopped) {
          refreshAgain = false
          requestRefresh()
        }
      }
    }

    const start = async () => {
      try {
        const [summary, firstLayout] = await Promise.all([
          api<BoardSummaryDto>('/board/summary'),
          api<BoardLayoutDto>('/board/layout'),
        ])
        if (stopped) return
        model = new BoardModel(summary)
        layout = firstLayout
        setState({ model, layout })
        // Start the stream right after the summary's last event: nothing falls in between.
        unsubscribe = subscribe(
          onEvent,
          (ok) => (ok ? setLink({ connected: true, downSince: null }) : down()),
          {
            types: [...LIVE_EVENTS, ...REFRESH_EVENTS],
            lastEventId: summary.lastEventId,
            // Another desk behind the same address: read everything again, the map's layout too.
            onReset: () => {
              layoutStale = true
              requestRefresh()
            },
          },
        )
      } catch (e) {
        failed(e)
        if (stopped) return
        down()
        retryTimer = setTimeout(() => void start(), 3_000)
      }
    }
    void start()

    return () => {
      stopped = true
      if (frame) cancelAnimationFrame(frame)
      if (retryTimer) clearTimeout(retryTimer)
      if (refreshTimer) clearTimeout(refreshTimer)
      unsubscribe?.()
    }
  }, [])

  return {
    model: state.model,
    layout: state.layout,
    revision,
    connected: link.connected,
    downSince: link.downSince,
  }
}
