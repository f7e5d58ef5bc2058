import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

// The Electron binary is not on this machine: the main process's modules are tested against a
// recording stand-in for the few electron APIs they use.
const created: { options: any; win: FakeWindow }[] = []
class FakeContents extends EventEmitter {
  static next = 1
  id = FakeContents.next++
  openHandler: ((d: { url: string }) => { action: string }) | null = null
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h
  }
}
class FakeWindow extends EventEmitter {
  webContents = new FakeContents()
  loaded: string | null = null
  constructor(options: any) {
    super()
    created.push({ options, win: this })
  }
  loadURL(url: string) {
    this.loaded = url
    return Promise.resolve()
  }
  show() {}
}
vi.mock('electron', () => ({ BrowserWindow: FakeWindow }))

const { hardenContents, sameOrigin, denyPermissions, originOf, isTelLink, acceptCertificate } =
  await import('../../src/main/security')
const { WindowRoles } = await import('../../src/main/window-roles')
const { openWindow } = await import('../../src/main/windows')
const { windowSession } = await import('../../src/main/sessions')
const { closeQuestion } = await import('../../src/main/closing')
const { serveStartPage, START_CSP } = await import('../../src/main/start-page')
const { checkAppSettings, readAppSettings, writeAppSettings } =
  await import('../../src/host/settings-file')

function navEvent(url?: string) {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true
    },
  }
}

/** An IPC event as Electron gives it: the sending web contents and the frame the call came from. */
function ipcEvent(contentsId: number, url: string, parent: object | null = null) {
  return { sender: { id: contentsId }, senderFrame: { url, parent } } as any
}

describe('Electron shell: windows', () => {
  it('gives every window role the same hardened preferences, and names the role for the preload', () => {
    const roles = new WindowRoles()
    for (const role of ['start', 'console', 'board', 'workstation', 'remote-board'] as const) {
      const url = role === 'start' ? 'desk-app://start/start.html' : 'http://127.0.0.1:4046/'
      openWindow({ role, url, preload: '/app/out/preload/index.cjs', roles })
      const prefs = created.at(-1)!.options.webPreferences
      expect(prefs).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        preload: '/app/out/preload/index.cjs',
      })
      expect(prefs.additionalArguments).toEqual([`--desk-role=${role}`])
      expect(created.at(-1)!.win.loaded).toBe(url)
    }
    expect(roles.count()).toBe(5)
    created.at(-1)!.win.emit('closed')
    expect(roles.count()).toBe(4)
  })

  it('keeps a page on its origin: navigation, redirects and frame navigation elsewhere are stopped', () => {
    const contents = new FakeContents()
    hardenContents(contents as any, sameOrigin('http://127.0.0.1:4046'))
    const cases: [string, string, boolean][] = [
      ['will-navigate', 'http://127.0.0.1:4046/rekap', false],
      ['will-navigate', 'https://evil.example/', true],
      ['will-navigate', 'http://127.0.0.1:4047/', true],
      ['will-navigate', 'file:///etc/passwd', true],
      ['will-redirect', 'http://127.0.0.1:4046/papan', false],
      ['will-redirect', 'http://phish.example/login', true],
      ['will-navigate', 'not a url', true],
    ]
    for (const [name, url, stopped] of cases) {
      const e = navEvent()
      contents.emit(name, e, url)
      expect(e.prevented, `${name} ${url}`).toBe(stopped)
    }
    // will-frame-navigate carries its URL on the event itself.
    const frameOff = navEvent('https://evil.example/frame')
    contents.emit('will-frame-navigate', frameOff)
    expect(frameOff.prevented).toBe(true)
    const frameOn = navEvent('http://127.0.0.1:4046/lapor')
    contents.emit('will-frame-navigate', frameOn)
    expect(frameOn.prevented).toBe(false)
    const webview = navEvent()
    contents.emit('will-attach-webview', webview)
    expect(webview.prevented).toBe(true)
    expect(contents.openHandler!({ url: 'http://127.0.0.1:4046/papan' })).toEqual({
      action: 'deny',
    })
  })

  it('hands a tel: link with a phone number to the OS, and nothing else that leaves the origin', () => {
    const contents = new FakeContents()
    const external: string[] = []
    hardenContents(contents as any, sameOrigin('http://127.0.0.1:4046'), (url) =>
      external.push(url),
    )
    for (const url of [
      'tel:0812-3456-7890',
      'tel:+6281234567890',
      'tel:0812;phone-context=evil',
      'mailto:a@b.c',
      'https://evil.example/',
    ]) {
      const e = navEvent()
      contents.emit('will-navigate', e, url)
      expect(e.prevented, url).toBe(true)
    }
    expect(contents.openHandler!({ url: 'tel:(0331) 487123' })).toEqual({ action: 'deny' })
    expect(external).toEqual(['tel:0812-3456-7890', 'tel:+6281234567890', 'tel:(0331) 487123'])
    expect(isTelLink('tel:javascript:alert(1)')).toBe(false)
  })

  it('accepts an untrusted certificate only where it is pinned, and only that one', () => {
    const pins = new Map([
      ['https://127.0.0.1:4046', 'AA:BB'],
      ['https://192.168.1.10:4046', 'CC:DD'],
    ])
    expect(acceptCertificate('https://127.0.0.1:4046', 'aa:bb', pins)).toBe(true)
    expect(acceptCertificate('https://127.0.0.1:4046', 'CC:DD', pins)).toBe(false)
    expect(acceptCertificate('https://192.168.1.10:4046', 'CC:DD', pins)).toBe(true)
    expect(acceptCertificate('https://192.168.1.11:4046', 'CC:DD', pins)).toBe(false)
  })

  it('tells origins of non-web schemes apart (Node calls them all "null")', () => {
    expect(originOf('desk-app://start/start.html')).toBe('desk-app://start')
    expect(originOf('data:text/html,x')).not.toBe(originOf('desk-app://start/'))
    const onStart = sameOrigin('desk-app://start')
    expect(onStart('desk-app://start/assets/a.js')).toBe(true)
    expect(onStart('desk-app://other/')).toBe(false)
    expect(onStart('data:text/html,<script>1</script>')).toBe(false)
  })

  it('refuses every permission a page asks for', () => {
    const handlers: { request?: any; check?: any } = {}
    denyPermissions({
      setPermissionRequestHandler: (h: any) => (handlers.request = h),
      setPermissionCheckHandler: (h: any) => (handlers.check = h),
    } as any)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const answers: boolean[] = []
      handlers.request(null, permission, (ok: boolean) => answers.push(ok))
      expect(answers).toEqual([false])
      expect(handlers.check(null, permission)).toBe(false)
    }
  })
})

describe('Electron shell: IPC', () => {
  const desk = {
    adminToken: 'admin-token-0123456789',
    shellDisplayCode: async () => 'DISP-LAYC-ODE2',
  }

  it('gives the console window the admin session and the board window a display code', async () => {
    const roles = new WindowRoles()
    roles.add(1, 'console', 'http://127.0.0.1:4046')
    roles.add(2, 'board', 'http://127.0.0.1:4046')
    expect(await windowSession(roles, desk, ipcEvent(1, 'http://127.0.0.1:4046/'))).toEqual({
      token: desk.adminToken,
    })
    expect(await windowSession(roles, desk, ipcEvent(2, 'http://127.0.0.1:4046/papan'))).toEqual({
      token: 'DISP-LAYC-ODE2',
    })
  })

  it('refuses a foreign frame, a window that left its origin, another desk and the start screen', async () => {
    const roles = new WindowRoles()
    roles.add(1, 'console', 'http://127.0.0.1:4046')
    roles.add(3, 'workstation', 'http://192.168.1.10:4046')
    roles.add(4, 'start', 'desk-app://start')
    const refused = [
      ipcEvent(1, 'http://127.0.0.1:4046/', { url: 'http://127.0.0.1:4046/' }), // an iframe inside the console
      ipcEvent(1, 'https://evil.example/'), // the console window somehow elsewhere
      ipcEvent(3, 'http://192.168.1.10:4046/'), // another desk's page
      ipcEvent(4, 'desk-app://start/start.html'),
      ipcEvent(99, 'http://127.0.0.1:4046/'), // no window of ours
    ]
    for (const e of refused) await expect(windowSession(roles, desk, e)).rejects.toThrow(/Ditolak/)
    expect(() => roles.require(ipcEvent(4, 'desk-app://start/start.html'), 'start')).not.toThrow()
    expect(() => roles.require(ipcEvent(1, 'http://127.0.0.1:4046/'), 'start')).toThrow(/Ditolak/)
  })
})

describe('Electron shell: closing, start page, settings', () => {
  it('asks before stopping a desk that still takes reports, and not otherwise', () => {
    expect(closeQuestion({ recentResults: 0, waiting: 0 })).toBeNull()
    const q = closeQuestion({ recentResults: 1234, waiting: 2 })!
    expect(q.message).toMatch(/Hentikan desk\?/)
    expect(q.detail).toContain('1.234 hasil masuk dalam 5 menit terakhir')
    expect(q.detail).toContain('2 laporan sedang disimpan')
  })

  it('serves the start page from the renderer folder only, with its own CSP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-page-'))
    writeFileSync(join(dir, 'start.html'), '<html></html>')
    writeFileSync(join(dir, '..', `secret-${process.pid}.css`), 'x')
    const ok = await serveStartPage(dir, { url: 'desk-app://start/start.html', method: 'GET' })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toBe(START_CSP)
    expect(START_CSP).toContain("connect-src 'none'")
    for (const url of [
      `desk-app://start/..%2Fsecret-${process.pid}.css`,
      'desk-app://start/%2e%2e/%2e%2e/etc/passwd',
      'desk-app://other/start.html',
      'desk-app://start/missing.js',
    ]) {
      expect((await serveStartPage(dir, { url, method: 'GET' })).status, url).toBe(404)
    }
    expect(
      (await serveStartPage(dir, { url: 'desk-app://start/start.html', method: 'POST' })).status,
    ).toBe(405)
  })

  it('settings: a round trip through the file (0600), bad values refused with the field named', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'settings-')), 'sub', 'settings.json')
    expect(readAppSettings(file)).toEqual({ ok: true, value: { settings: {}, autoStart: false } })
    const input = {
      autoStart: true,
      settings: {
        port: '4047',
        host: '0.0.0.0',
        publicUrl: 'https://Desk-Pilkada.jemberkab.go.id/',
        tlsCert: '/etc/desk/cert.pem',
        tlsKey: '/etc/desk/key.pem',
        staffNetworks: '10.0.0.0/8, 192.168.0.0/16',
        backupDir: '/media/usb',
        backupInterval: 120,
        smsAndroidUrl: 'http://192.168.1.20:8080',
        smsAndroidUser: 'sms',
        smsAndroidPassword: 'rahasia',
      },
    }
    expect(writeAppSettings(file, input).ok).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const back = readAppSettings(file)
    expect(back).toEqual({
      ok: true,
      value: {
        autoStart: true,
        settings: {
          ...input.settings,
          port: 4047,
          publicUrl: 'https://desk-pilkada.jemberkab.go.id',
          staffNetworks: ['10.0.0.0/8', '192.168.0.0/16'],
        },
      },
    })
    // Written again as read, it reads back the same: the stored form is the validated one.
    writeAppSettings(file, (back as any).value)
    expect(readAppSettings(file)).toEqual(back)

    const bad = checkAppSettings({
      autoStart: false,
      settings: {
        port: 70000,
        tlsCert: '/x.pem',
        trustProxy: '10.0.0.0/40',
        publicUrl: 'javascript:alert(1)',
        surprise: 1,
      },
    })
    expect(bad.ok).toBe(false)
    const errors = (bad as any).errors
    expect(errors.port).toMatch(/Port harus bilangan bulat 0–65535/)
    expect(errors.tlsKey).toMatch(/Sertifikat dan kunci TLS harus diisi berdua/)
    expect(errors.trustProxy).toMatch(/"10.0.0.0\/40" bukan alamat IP atau blok CIDR/)
    expect(errors.publicUrl).toMatch(/Alamat publik harus diawali http:\/\/ atau https:\/\//)
    expect(errors.form).toMatch(/tidak dikenal: surprise/)
    // A refused save leaves the file as it was.
    expect(writeAppSettings(file, { autoStart: false, settings: { port: -1 } }).ok).toBe(false)
    expect(JSON.parse(readFileSync(file, 'utf8')).settings.port).toBe(4047)
    writeFileSync(file, '{ broken')
    expect(readAppSettings(file)).toMatchObject({
      ok: false,
      errors: { form: expect.stringMatching(/bukan JSON yang sah/) },
    })
  })
})
