import { BrowserWindow } from 'electron'
import {
  hardenContents,
  originOf,
  sameOrigin,
  secureWebPreferences,
  type WindowRole,
} from './security'
import type { WindowRoles } from './window-roles'

export interface OpenWindowOptions {
  role: WindowRole
  /** The page to load; the window may never leave its origin. */
  url: string
  preload: string
  roles: WindowRoles
  title?: string
  bounds?: { x: number; y: number }
  fullscreen?: boolean
  width?: number
  height?: number
}

/**
 * Every window of the app is made here: the same hardened preferences for every role, navigation
 * kept on the window's own origin, and its role registered for IPC checks until it closes.
 */
export function openWindow(options: OpenWindowOptions): BrowserWindow {
  const origin = originOf(options.url)
  const win = new BrowserWindow({
    width: options.width ?? 1366,
    height: options.height ?? 768,
    show: false,
    title: options.title ?? 'Desk Pilkada',
    ...(options.bounds ?? {}),
    ...(options.fullscreen ? { fullscreen: true } : {}),
    webPreferences: secureWebPreferences(options.preload, options.role),
  })
  const id = win.webContents.id
  options.roles.add(id, options.role, origin)
  hardenContents(win.webContents, sameOrigin(origin))
  win.on('closed', () => options.roles.remove(id))
  win.once('ready-to-show', () => win.show())
  void win.loadURL(options.url)
  return win
}
