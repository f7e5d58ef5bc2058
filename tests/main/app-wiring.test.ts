import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ADMIN_TOKEN, DESA_A, tpsCsv } from '../helpers/desk'

// The shell's wiring (src/main/index.ts) against a stand-in for Electron and a real desk: what an
// operator does with windows, and what the app does about it.

const userData = mkdtempSync(join(tmpdir(), 'desk-app-'))
const appEvents = new EventEmitter()
const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
let menu: { label?: string; submenu?: { label?: string; click?: () => void }[] }[] = []
let answer = 0 // the button the operator picks in the "stop the desk?" question
const questions: string[] = []
let quitCalls = 0
let ready!: () => void
const whenReady = new Promise<void>((r) => (ready = r))

class FakeContents extends EventEmitter {
  static next = 100
  id = FakeContents.next++
  url = ''
  sent: [string, unknown][] = []
  setWindowOpenHandler() {}
  send(channel: string, data: unknown) {
    this.sent.push([channel, data])
  }
  getURL() {
    return this.url
  }
}

class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = []
  static getAllWindows() {
    return FakeWindow.all.filter((w) => !w.destroyed)
  }
  static fromWebContents(wc: FakeContents) {
    return FakeWindow.all.find((w) => w.webContents === wc) ?? null
  }
  webContents = new FakeContents()
  destroyed = false
  focused = 0
  constructor(
    readonly options: { title?: string; webPreferences: { additionalArguments: string[] } },
  ) {
    super()
    FakeWindow.all.push(this)
  }
  get role() {
    return this.options.webPreferences.additionalArguments[0]!.replace('--desk-role=', '')
  }
  loadURL(url: string) {
    this.webContents.url = url
    return Promise.resolve()
  }
  show() {}
  isDestroyed() {
    return this.destroyed
  }
  isMinimized() {
    return false
  }
  restore() {}
  focus() {
    this.focused++
  }
  /** As Electron does: `close` may be prevented; otherwise the window goes and says `closed`. */
  close() {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (prevented) return
    this.destroy()
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('closed')
    if (FakeWindow.getAllWindows().length === 0) appEvents.emit('window-all-closed')
  }
}

vi.mock('electron', () => ({
  app: {
    requestSingleInstanceLock: () => true,
    on: (event: string, fn: (...a: unknown[]) => void) => appEvents.on(event, fn),
    whenReady: () => whenReady,
    getPath: () => userData,
    getAppPath: () => userData,
    quit: () => {
      quitCalls++
      let prevented = false
      appEvents.emit('before-quit', { preventDefault: () => (prevented = true) })
      return prevented
    },
    exit: () => undefined,
  },
  BrowserWindow: FakeWindow,
  dialog: {
    showErrorBox: (title: string, message: string) => questions.push(`ERROR ${title}: ${message}`),
    showMessageBoxSync: (...args: unknown[]) => {
      const options = args.at(-1) as { message: string }
      questions.push(options.message)
      return answer
    },
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  },
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) =>
      handlers.set(channel, fn),
  },
  Menu: {
    setApplicationMenu: () => undefined,
    buildFromTemplate: (t: typeof menu) => ((menu = t), t),
  },
  powerMonitor: new EventEmitter(),
  protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
  screen: {
    getAllDisplays: () => [{ id: 1, bounds: { x: 0, y: 0 } }],
    getPrimaryDisplay: () => ({ id: 1 }),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
    },
  },
  shell: { openExternal: async () => undefined },
}))

const windows = (role?: string) =>
  FakeWindow.getAllWindows().filter((w) => !role || w.role === role)
const click = (label: string) =>
  menu.flatMap((m) => m.submenu ?? []).find((i) => i.label === label)!.click!()
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25))
  expect(check()).toBe(true)
}

describe('the desktop app with a real desk (Electron stood in for)', () => {
  let url = ''

  beforeAll(async () => {
    // A laptop whose settings say: start this desk at once, on this machine only, any free port.
    writeFileSync(
      join(userData, 'settings.json'),
      JSON.stringify({
        autoStart: true,
        settings: { dataDir: join(userData, 'data'), port: 0, host: '127.0.0.1' },
      }),
    )
    process.env.DESK_ADMIN_TOKEN = ADMIN_TOKEN
    await import('../../src/main/index')
    ready()
    await until(() => windows('console').length === 1)
    url = new URL(windows('console')[0]!.webContents.url).origin
  }, 60_000)

  afterAll(async () => {
    answer = 1
    quitCalls = 0
    delete process.env.DESK_ADMIN_TOKEN
    rmSync(userData, { recursive: true, force: true })
  })

  it('starts the desk from the saved settings and opens its console signed in as admin', async () => {
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200)
    const console_ = windows('console')[0]!
    const session = await handlers.get('desk:session')!({
      sender: console_.webContents,
      senderFrame: { url: `${url}/`, parent: null },
    })
    expect(session).toEqual({ token: ADMIN_TOKEN })
  })

  it('gives the board window a display code, never the admin token', async () => {
    click('Papan dinding')
    const board = windows('board')[0]!
    expect(board.webContents.url).toBe(`${url}/papan`)
    const { token } = (await handlers.get('desk:session')!({
      sender: board.webContents,
      senderFrame: { url: `${url}/papan`, parent: null },
    })) as { token: string }
    expect(token).not.toBe(ADMIN_TOKEN)
    const me = await fetch(`${url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(403)
  })

  it('closing the console while the board is open, then the busy board, asks; refused, the desk keeps a window', async () => {
    const h = { authorization: `Bearer ${ADMIN_TOKEN}` }
    await fetch(`${url}/api/v1/tps/import`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'text/csv' },
      body: tpsCsv([DESA_A], 1),
    })
    const sent = await fetch(`${url}/api/v1/results`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({
        submissionId: 'wiring-1',
        tps: `${DESA_A}.001`,
        contest: 'bupati',
        votes: { '1': 10, '2': 20 },
        invalid: 1,
      }),
    })
    expect(sent.status).toBe(201)

    windows('console')[0]!.close()
    expect(questions).toEqual([]) // the board is still open: nothing stops
    expect(windows('console')).toHaveLength(0)

    answer = 0 // "Jangan hentikan"
    windows('board')[0]!.close()
    expect(questions.at(-1)).toMatch(/Desk masih menerima laporan/)
    expect(windows('board')).toHaveLength(1) // the last window stays: the desk is never without one
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200)
  })

  it('brings the console back from the menu and on a second launch, without a second copy', async () => {
    click('Konsol operator')
    expect(windows('console')).toHaveLength(1)
    appEvents.emit('second-instance')
    expect(windows('console')).toHaveLength(1)
    expect(windows('console')[0]!.focused).toBeGreaterThan(0)
  })

  it('Keluar with the question refused reopens nothing twice and stops nothing; confirmed, it closes the desk cleanly', async () => {
    answer = 0
    const before = questions.length
    expect(quitCalls).toBe(0)
    const { app } = await import('electron')
    expect(app.quit()).toBe(true) // prevented
    expect(questions.length).toBe(before + 1)
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200)

    answer = 1 // "Hentikan desk"
    app.quit()
    await until(() => quitCalls >= 3) // ours, then the shell's own quit once the desk is closed
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow()
  })
})
