import type { Event, IpcMainInvokeEvent, Session, WebContents, WebPreferences } from 'electron'

// Electron's security checklist, in one place: every window gets the same preferences, every
// web contents the same navigation rules, every session the same permission answer.

/** The window roles the shell knows; the preload reads it to expose only that role's bridge. */
export type WindowRole = 'start' | 'console' | 'board' | 'workstation' | 'remote-board'

/** The preferences of every window: isolated, sandboxed, no Node, web security on, no webviews. */
export function secureWebPreferences(preload: string, role: WindowRole): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    additionalArguments: [`--desk-role=${role}`],
  }
}

/**
 * Keep a web contents on the origin it was opened for. A page that navigates, is redirected, or
 * has a frame navigated anywhere else (a link in a typed note, a malicious redirect) stays where it
 * is; new windows and webviews are refused outright.
 */
export function hardenContents(contents: WebContents, allowed: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const stay = (event: Event, url: string) => {
    if (!safeAllowed(allowed, url)) event.preventDefault()
  }
  contents.on('will-navigate', (event, url) => stay(event, url))
  contents.on('will-redirect', (event, url) => stay(event, url))
  contents.on('will-frame-navigate', (event) => stay(event, event.url))
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function safeAllowed(allowed: (url: string) => boolean, url: string): boolean {
  try {
    return allowed(url)
  } catch {
    return false
  }
}

/**
 * Scheme, host and port. Node's URL gives every non-web scheme the origin "null" (data:, file:,
 * our own desk-app:), which would make them all equal: spell it out instead.
 */
export function originOf(url: string): string {
  const u = new URL(url)
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin
  return `${u.protocol}//${u.host}`
}

/** Same origin as `origin` (scheme, host and port), nothing else. */
export function sameOrigin(origin: string): (url: string) => boolean {
  return (url) => originOf(url) === origin
}

/** No page gets the camera, microphone, location, notifications or anything else it asks for. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/**
 * The origin of the frame that sent an IPC message, when it is a top frame; null for a subframe
 * (an iframe's script must never reach the shell) or an unreadable URL.
 */
export function topFrameOrigin(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | null {
  const frame = event.senderFrame
  if (!frame || frame.parent) return null
  try {
    return originOf(frame.url)
  } catch {
    return null
  }
}
