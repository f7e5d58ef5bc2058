/** The typed bridge the Electron preload exposes as `window.deskShell`; absent in a plain browser. */
export interface DeskShell {
  /** The local operator window is signed in as admin without typing a code. */
  session(): Promise<{ token: string }>
  /** Open the wall board in its own window (on the second display when there is one). */
  openBoard(): Promise<void>
}

declare global {
  interface Window {
    deskShell?: DeskShell
  }
}
