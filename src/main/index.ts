import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
} from 'electron'
import { browseDesks, type DeskBrowser } from '../discovery/discovery'
import { createDesk, type Desk } from '../host/desk'
import { deskOptionsFromSettings } from '../host/settings'
import { readAppSettings, writeAppSettings } from '../host/settings-file'
import type { AdvertisedDesk, StartState } from '../shared/shell'
import pkg from '../../package.json'
import { closeQuestion } from './closing'
import { acceptCertificate, denyPermissions, hardenContents, isTelLink, originOf } from './security'
import { windowSession } from './sessions'
import { serveStartPage, START_SCHEME, START_URL } from './start-page'
import { WindowRoles } from './window-roles'
import { openWindow } from './windows'

// The shell only composes: it starts the same desk as `npm run serve`, in-process, with the same
// settings (one schema), opens hardened windows on it, and adds what only a desktop can do: the
// start screen (this laptop's desk, or another desk found on the LAN), menus, the board on the
// second display, asking before a busy desk is stopped. Everything else is the HTTP API.

protocol.registerSchemesAsPrivileged([
  { scheme: START_SCHEME, privileges: { standard: true, secure: true } },
])

const roles = new WindowRoles()
const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url))

let desk: Desk | null = null
/** Certificates accepted per origin (SHA-256): this desk's own, and each other desk's as advertised. */
const pins = new Map<string, string>()
let consoleWindow: BrowserWindow | null = null
let boardWindow: BrowserWindow | null = null
let startWindow: BrowserWindow | null = null
let browser: DeskBrowser | null = null
let desks: AdvertisedDesk[] = []
let quitting = false

const settingsFile = () => join(app.getPath('userData'), 'settings.json')

/** A better-sqlite3 build for Electron's ABI, made by scripts/rebuild-electron.mjs (npm start). */
function electronNativeBinding(): string | undefined {
  const file = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node')
  return existsSync(file) ? file : undefined
}

function openBoard(): void {
  if (!desk) return
  if (boardWindow && !boardWindow.isDestroyed()) {
    boardWindow.focus()
    return
  }
  const external = screen.getAllDisplays().find((d) => d.id !== screen.getPrimaryDisplay().id)
  boardWindow = openWindow({
    role: 'board',
    url: `${desk.url}/papan`,
    preload,
    roles,
    title: 'Desk Pilkada — papan dinding',
    ...(external
      ? { bounds: { x: external.bounds.x, y: external.bounds.y }, fullscreen: true }
      : {}),
  })
  watchDeskWindow(boardWindow)
  boardWindow.on('closed', () => (boardWindow = null))
}

/** The desk's console; reopened from the menu, the start screen or a second launch. */
function openConsole(): void {
  if (!desk) return
  if (consoleWindow && !consoleWindow.isDestroyed()) {
    if (consoleWindow.isMinimized()) consoleWindow.restore()
    consoleWindow.focus()
    return
  }
  consoleWindow = openWindow({ role: 'console', url: `${desk.url}/`, preload, roles })
  watchDeskWindow(consoleWindow)
  consoleWindow.on('closed', () => (consoleWindow = null))
}

/**
 * Every window of this laptop's desk: closing the last one asks before a busy desk stops; the OS
 * ending the session (Windows: \`query-session-end\` delays it while the desk closes, \`session-end\`
 * as the last word) closes the desk cleanly.
 */
function watchDeskWindow(win: BrowserWindow): void {
  guardClose(win)
  win.on('query-session-end', (event) => {
    event.preventDefault()
    void shutdown()
  })
  win.on('session-end', () => void shutdown())
}

function openStart(): void {
  if (startWindow && !startWindow.isDestroyed()) {
    startWindow.focus()
    return
  }
  startWindow = openWindow({
    role: 'start',
    url: START_URL,
    preload,
    roles,
    title: 'Desk Pilkada — mulai',
    width: 1100,
    height: 760,
  })
  startWindow.on('closed', () => {
    startWindow = null
    if (!desk) stopBrowsing()
  })
  startBrowsing()
}

function startBrowsing(): void {
  if (browser) return
  browser = browseDesks({
    onChange(list) {
      // Our own desk advertises too: it is not "another desk".
      desks = list.filter((d) => !desk || d.id !== desk.advertisedAs)
      if (startWindow && !startWindow.isDestroyed())
        startWindow.webContents.send('start:desks', desks)
    },
  })
}

function stopBrowsing(): void {
  browser?.stop()
  browser = null
}

async function startOwnDesk(): Promise<{ ok: true } | { ok: false; message: string }> {
  if (desk) {
    openConsole()
    return { ok: true }
  }
  const read = readAppSettings(settingsFile())
  if (!read.ok) return { ok: false, message: Object.values(read.errors).join('; ') }
  const settings = read.value.settings
  const nativeBinding = electronNativeBinding()
  try {
    desk = await createDesk({
      ...deskOptionsFromSettings(settings, { dataDir: join(app.getPath('userData'), 'data') }),
      ...(process.env.DESK_ADMIN_TOKEN ? { adminToken: process.env.DESK_ADMIN_TOKEN } : {}),
      ...(nativeBinding ? { nativeBinding } : {}),
    })
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) }
  }
  try {
    if (settings.tlsCert)
      pins.set(
        originOf(desk.url),
        new X509Certificate(readFileSync(settings.tlsCert, 'utf8')).fingerprint256,
      )
  } catch {
    // The desk checked the file as it started; unreadable now means Chromium decides alone.
  }
  // `npm start` in a terminal: say where phones and other laptops reach this desk (not 127.0.0.1).
  try {
    process.stdout.write(
      `Desk Pilkada siap. Bisa dibuka di:\n${desk.urls.map((u) => `  ${u}${/\/\/127\./.test(u) ? '  (komputer ini saja)' : ''}`).join('\n')}\n`,
    )
  } catch {
    // no terminal attached
  }
  openConsole()
  if (startWindow && !startWindow.isDestroyed()) startWindow.close()
  return { ok: true }
}

/**
 * A workstation (sign in with an access code) or a board window on another desk. The start
 * screen stays until the page has loaded, and says in one sentence why it could not.
 */
async function openOtherDesk(
  raw: unknown,
  mode: unknown,
): Promise<{ ok: true } | { ok: false; message: string }> {
  let url: URL
  try {
    url = new URL(String(raw))
  } catch {
    return {
      ok: false,
      message: 'Alamat desk tidak sah: tulis lengkap, contoh http://192.168.1.10:4046',
    }
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    return { ok: false, message: 'Alamat desk harus http:// atau https:// tanpa nama pengguna' }
  }
  if (mode !== 'workstation' && mode !== 'board')
    return { ok: false, message: 'Pilih workstation atau papan' }
  // A desk serving HTTPS at its LAN address shows a certificate for its public name: accept
  // exactly the one it advertised (its fingerprint is public), at that origin only.
  const advert = desks.find((d) => originOf(d.url) === url.origin)
  if (advert?.certFingerprint) pins.set(url.origin, advert.certFingerprint)
  const win = openWindow({
    role: mode === 'board' ? 'remote-board' : 'workstation',
    url: `${url.origin}${mode === 'board' ? '/papan' : '/'}`,
    preload,
    roles,
    title: `Desk Pilkada — ${mode === 'board' ? 'papan' : 'workstation'} ${url.host}`,
  })
  const failure = await new Promise<string | null>((resolve) => {
    win.webContents.once('did-finish-load', () => resolve(null))
    win.webContents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
      if (isMainFrame && code !== -3) resolve(`${description || 'galat'} (${code})`)
    })
  })
  if (failure) {
    win.destroy()
    return {
      ok: false,
      message: `Desk di ${url.origin} tidak bisa dibuka: ${failure}. Periksa alamatnya, bahwa laptop ini di jaringan yang sama, dan bahwa desk itu berjalan.`,
    }
  }
  win.on('closed', () => {
    if (!desk && roles.count() === 0) app.quit()
  })
  if (startWindow && !startWindow.isDestroyed()) startWindow.close()
  return { ok: true }
}

/** Closing the desk's last window stops the desk: ask first while reports are still arriving. */
function guardClose(win: BrowserWindow): void {
  win.on('close', (event) => {
    if (quitting || !desk) return
    const others = BrowserWindow.getAllWindows().filter((w) => w !== win && !w.isDestroyed())
    if (others.length > 0) return
    // Stopping is asked once, here; if confirmed the desk closes cleanly, then the app quits.
    event.preventDefault()
    if (confirmStop(win)) void shutdown()
  })
}

function confirmStop(win?: BrowserWindow): boolean {
  if (!desk) return true
  const question = closeQuestion(desk.service.activity())
  if (!question) return true
  const options = {
    type: 'warning' as const,
    buttons: ['Jangan hentikan', 'Hentikan desk'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    title: 'Desk Pilkada',
    message: question.message,
    detail: question.detail,
  }
  return (win ? dialog.showMessageBoxSync(win, options) : dialog.showMessageBoxSync(options)) === 1
}

/** Stop without asking (the OS is shutting down, or a signal): commit, close the database, quit. */
async function shutdown(): Promise<void> {
  if (quitting) return
  quitting = true
  stopBrowsing()
  try {
    await desk?.close()
  } finally {
    desk = null
    app.quit()
  }
}

function registerIpc(): void {
  ipcMain.handle('desk:session', (event) => windowSession(roles, desk, event))
  ipcMain.handle('desk:open-board', (event) => {
    roles.require(event, 'console')
    openBoard()
  })
  ipcMain.handle('start:state', (event): StartState => {
    roles.require(event, 'start')
    const read = readAppSettings(settingsFile())
    return {
      settings: read.ok ? read.value.settings : {},
      autoStart: read.ok ? read.value.autoStart : false,
      errors: read.ok ? {} : read.errors,
      running: !!desk,
      file: settingsFile(),
      version: pkg.version,
      desks,
    }
  })
  ipcMain.handle('start:save', (event, input: unknown) => {
    roles.require(event, 'start')
    const written = writeAppSettings(settingsFile(), input)
    return written.ok ? { ok: true, restartNeeded: !!desk } : written
  })
  ipcMain.handle('start:pick', async (event, kind: unknown) => {
    roles.require(event, 'start')
    const win = BrowserWindow.fromWebContents(event.sender)
    const options = {
      properties:
        kind === 'folder'
          ? (['openDirectory', 'createDirectory'] as const)
          : (['openFile'] as const),
    }
    const picked = win
      ? await dialog.showOpenDialog(win, { properties: [...options.properties] })
      : await dialog.showOpenDialog({ properties: [...options.properties] })
    return picked.canceled ? null : (picked.filePaths[0] ?? null)
  })
  ipcMain.handle('start:start-own', (event) => {
    roles.require(event, 'start')
    return startOwnDesk()
  })
  ipcMain.handle('start:open-desk', (event, url: unknown, mode: unknown) => {
    roles.require(event, 'start')
    return openOtherDesk(url, mode)
  })
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'Desk',
        submenu: [
          {
            label: 'Konsol operator',
            accelerator: 'CmdOrCtrl+Shift+K',
            click: () => (desk ? openConsole() : openStart()),
          },
          { label: 'Papan dinding', accelerator: 'F11', click: openBoard },
          { label: 'Pengaturan dan desk lain…', click: openStart },
          { type: 'separator' },
          { role: 'quit', label: 'Keluar' },
        ],
      },
      {
        label: 'Tampilan',
        submenu: [
          { role: 'reload', label: 'Muat ulang' },
          { role: 'togglefullscreen', label: 'Layar penuh' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { role: 'resetZoom' },
        ],
      },
    ]),
  )
}

async function ready(): Promise<void> {
  denyPermissions(session.defaultSession)
  protocol.handle(START_SCHEME, (request) => serveStartPage(rendererDir, request))
  registerIpc()
  buildMenu()
  const read = readAppSettings(settingsFile())
  if (read.ok && read.value.autoStart) {
    const started = await startOwnDesk()
    if (started.ok) return
    dialog.showErrorBox('Desk Pilkada tidak bisa dimulai', started.message)
  }
  openStart()
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // A second launch (the operator double-clicks the icon again) brings the console back, or the
  // start screen: never a desk running with no window.
  app.on('second-instance', () => {
    if (desk) openConsole()
    else openStart()
  })
  // Any web contents, including ones the app did not make itself, stays on the origin its window
  // was opened for; one that is no window of ours goes nowhere.
  app.on('web-contents-created', (_e, contents) => {
    hardenContents(
      contents,
      (url) => roles.originOf(contents.id) === originOf(url),
      (url) => {
        if (isTelLink(url)) void shell.openExternal(url)
      },
    )
  })
  // With TLS, the desk's windows load https://127.0.0.1:PORT, and another desk is reached at its
  // LAN address: a certificate for the public name covers neither. Accept exactly the pinned
  // certificate of that origin (this desk's own, or the one the other desk advertised), nothing else.
  app.on('certificate-error', (event, _contents, url, _error, certificate, callback) => {
    let ours = false
    try {
      ours = acceptCertificate(
        originOf(url),
        new X509Certificate(certificate.data).fingerprint256,
        pins,
      )
    } catch {
      ours = false
    }
    if (ours) event.preventDefault()
    callback(ours)
  })
  app.whenReady().then(ready, (e: unknown) => {
    dialog.showErrorBox('Desk Pilkada', String(e))
    app.exit(1)
  })
  app.on('window-all-closed', () => {
    if (!startWindow) app.quit()
  })
  app.on('before-quit', (event) => {
    if (quitting || !desk) return
    event.preventDefault()
    if (!confirmStop(consoleWindow ?? undefined)) {
      // The desk goes on: never without a window to reach it.
      if (BrowserWindow.getAllWindows().every((w) => w.isDestroyed())) openConsole()
      return
    }
    void shutdown()
  })
  // The OS is shutting down: Electron delays it while the desk commits and closes its database.
  app.whenReady().then(
    () =>
      // The typings omit the event the docs describe (and its preventDefault).
      (powerMonitor as unknown as NodeJS.EventEmitter).on(
        'shutdown',
        (event: { preventDefault(): void }) => {
          event.preventDefault()
          void shutdown()
        },
      ),
    () => undefined,
  )
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown())
}
