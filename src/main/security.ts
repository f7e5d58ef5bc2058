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
export function hardenContents(
  contents: WebContents,
  allowed: (url: string) => boolean,
  openExternal?: (url: string) => void,
): void {
  // A phone number on the chase list or in a conflict is dialled by the OS (a softphone, or a
  // phone paired to the laptop): `tel:` links, checked to hold only a number, go there and
  // nowhere else; everything else off the origin is refused.
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal && isTelLink(url)) openExternal(url)
    return { action: 'deny' }
  })
  const stay = (event: Event, url: string) => {
    if (safeAllowed(allowed, url)) return
    event.preventDefault()
    if (openExternal && isTelLink(url)) openExternal(url)
  }
  contents.on('will-navigate', (event, url) => stay(event, url))
  contents.on('will-redirect', (event, url) => stay(event, url))
  contents.on('will-frame-navigate', (event) => stay(event, event.url))
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** `tel:` and a phone number, nothing else (no parameters, no other scheme behind it). */
export function isTelLink(url: string): boolean {
  return /^tel:\+?[0-9(][0-9 ()-]{2,24}$/.test(url)
}

/**
 * Which certificate to accept for a page's origin when Chromium does not trust it: exactly the
 * one pinned for that origin (this laptop's desk: its configured certificate; another desk: the
 * fingerprint it advertised on the LAN), never anything else.
 */
export function acceptCertificate(
  origin: string,
  fingerprint256: string,
  pins: ReadonlyMap<string, string>,
): boolean {
  const pinned = pins.get(origin)
  return !!pinned && pinned.toUpperCase() === fingerprint256.toUpperCase()
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
