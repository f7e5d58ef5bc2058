import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { createDesk, DEFAULT_PORT, type Desk } from '../host/desk'

// The shell only composes: it starts the same desk as `npm run serve`, in-process, and opens
// windows on it. Everything else goes through the HTTP API like any other screen.

let desk: Desk | null = null
let mainWindow: BrowserWindow | null = null
let boardWindow: BrowserWindow | null = null

function deskOrigin(): string {
  return new URL(desk!.url).origin
}

/** A better-sqlite3 build for Electron's ABI, made by `npm run rebuild:electron`. */
function electronNativeBinding(): string | undefined {
  const file = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node')
  return existsSync(file) ? file : undefined
}

function harden(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== deskOrigin()) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function createWindow(path: string, options: { fullscreen?: boolean; x?: number; y?: number } = {}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    show: false,
    title: 'Desk Pilkada',
    ...options,
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  harden(win.webContents)
  win.once('ready-to-show', () => win.show())
  void win.loadURL(`${desk!.url}${path}`)
  return win
}

/** Accept IPC only from a top frame of our own desk origin. */
function fromDesk(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent) return false
  try {
    return new URL(frame.url).origin === deskOrigin()
  } catch {
    return false
  }
}

function openBoard(): void {
  if (boardWindow && !boardWindow.isDestroyed()) {
    boardWindow.focus()
    return
  }
  const displays = screen.getAllDisplays()
  const external = displays.find((d) => d.id !== screen.getPrimaryDisplay().id)
  boardWindow = createWindow('/papan', external ? { x: external.bounds.x, y: external.bounds.y, fullscreen: true } : {})
  boardWindow.on('closed', () => (boardWindow = null))
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  const nativeBinding = electronNativeBinding()
  const dataDir = join(app.getPath('userData'), 'data')
  try {
    desk = await createDesk({
      dataDir,
      port: Number(process.env.DESK_PORT) || DEFAULT_PORT,
      host: process.env.DESK_HOST ?? '0.0.0.0',
      ...(process.env.DESK_ADMIN_TOKEN ? { adminToken: process.env.DESK_ADMIN_TOKEN } : {}),
      ...(nativeBinding ? { nativeBinding } : {}),
    })
  } catch (e) {
    dialog.showErrorBox('Desk Pilkada tidak bisa dimulai', e instanceof Error ? e.message : String(e))
    app.exit(1)
    return
  }
  // `npm start` in a terminal: say where phones and other laptops reach this desk (not 127.0.0.1).
  try {
    process.stdout.write(`Desk Pilkada siap. Bisa dibuka di:\n${desk.urls.map((u) => `  ${u}${/\/\/127\./.test(u) ? '  (komputer ini saja)' : ''}`).join('\n')}\n`)
  } catch {
    // no terminal attached
  }
  ipcMain.handle('desk:session', (event) => {
    if (!fromDesk(event)) throw new Error('rejected')
    return { token: desk!.adminToken }
  })
  ipcMain.handle('desk:open-board', (event) => {
    if (!fromDesk(event)) throw new Error('rejected')
    openBoard()
  })
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { label: 'Desk', submenu: [{ label: 'Papan dinding', accelerator: 'F11', click: openBoard }, { type: 'separator' }, { role: 'quit', label: 'Keluar' }] },
      { label: 'Tampilan', submenu: [{ role: 'reload', label: 'Muat ulang' }, { role: 'togglefullscreen', label: 'Layar penuh' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'resetZoom' }] },
    ]),
  )
  mainWindow = createWindow('/')
  mainWindow.on('closed', () => (mainWindow = null))
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })
  app.on('web-contents-created', (_e, contents) => harden(contents))
  app.whenReady().then(start, (e: unknown) => {
    dialog.showErrorBox('Desk Pilkada', String(e))
    app.exit(1)
  })
  app.on('window-all-closed', () => app.quit())
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting || !desk) return
    event.preventDefault()
    quitting = true
    desk.close().finally(() => app.quit())
  })
}
