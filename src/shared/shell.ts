import type { DeskSettings, DeskSettingKey } from './settings'

/**
 * The typed bridge the Electron preload exposes as `window.deskShell` on the desk's own windows;
 * absent in a plain browser and on another desk's pages.
 */
export interface DeskShell {
  /**
   * The window's own session: the desk's console window is signed in as admin without typing a
   * code; the desk's board window gets a display-scoped code (never the admin token).
   */
  session(): Promise<{ token: string }>
  /** Open the wall board in its own window (on the second display when there is one); console only. */
  openBoard?(): Promise<void>
}

/** A desk seen on the LAN (bonjour `_desk-pilkada._tcp`). */
export interface AdvertisedDesk {
  id: string
  name: string
  regency: string
  version: string
  training: boolean
  url: string
  /** With https: the certificate fingerprint it advertised (accepted at that address only). */
  certFingerprint: string | null
}

export interface StartState {
  settings: DeskSettings
  autoStart: boolean
  /** Errors of a damaged settings file: the desk does not start until they are fixed. */
  errors: Partial<Record<DeskSettingKey | 'form', string>>
  /** This laptop's desk is running (the screen was opened from the menu to change settings). */
  running: boolean
  /** Where this laptop's settings live (shown so an IT person can find the file). */
  file: string
  version: string
  desks: AdvertisedDesk[]
}

export type SaveAnswer =
  | { ok: true; restartNeeded: boolean }
  | { ok: false; errors: Partial<Record<DeskSettingKey | 'form', string>> }

/** The start screen's bridge (`window.deskStart`), only on the desktop app's start page. */
export interface DeskStart {
  state(): Promise<StartState>
  save(input: { settings: Record<string, unknown>; autoStart: boolean }): Promise<SaveAnswer>
  /** A file or folder chosen in the OS dialog, or null when cancelled. */
  pick(kind: 'file' | 'folder'): Promise<string | null>
  /** Start this laptop's desk with the saved settings; the answer is an error to show, or ok. */
  startOwn(): Promise<{ ok: true } | { ok: false; message: string }>
  /** Open another desk: as a workstation (sign in with an access code) or its wall board. */
  openDesk(
    url: string,
    mode: 'workstation' | 'board',
  ): Promise<{ ok: true } | { ok: false; message: string }>
  /** Called with the whole list whenever a desk appears on or leaves the LAN; returns an unsubscribe. */
  onDesks(listener: (desks: AdvertisedDesk[]) => void): () => void
}

declare global {
  interface Window {
    deskShell?: DeskShell
    deskStart?: DeskStart
  }
}
