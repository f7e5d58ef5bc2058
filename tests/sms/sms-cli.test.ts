import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { builtApp } from '../helpers/build-ui'

// `npm run serve` with the SMS gateways (issue 15 review): the signing key from the environment,
// and a gammu folder the desk cannot make stopping the start in one Indonesian sentence.
let cli: string
const children: ChildProcess[] = []
const dirs: string[] = []
beforeAll(() => {
  cli = join(builtApp(), 'main', 'cli.js')
}, 180_000)
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const until = (re: RegExp) =>
    new Promise<void>((ok, fail) => {
      const t = setTimeout(() => fail(new Error(`not seen ${re}:\n${out}`)), 60_000)
      const check = () => {
        if (re.test(out)) {
          clearTimeout(t)
          ok()
        }
      }
      child.stdout!.on('data', check)
      child.stderr!.on('data', check)
      child.on('exit', () =>
        setTimeout(() => (re.test(out) ? ok() : fail(new Error(`exited:\n${out}`))), 50),
      )
    })
  return { child, exited, until, output: () => out }
}

const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

describe('serve with SMS gateways', () => {
  it('takes the Android signing key from DESK_SMS_ANDROID_SIGNING_KEY, never printing it', async () => {
    const dir = tempDir('desk-sms-cli-')
    const a = run(
      [
        '--data-dir',
        dir,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--sms-android-url',
        'http://127.0.0.1:9',
        '--sms-android-user',
        'sms',
      ],
      {
        DESK_SMS_ANDROID_PASSWORD: 'sandi-ponsel-rahasia',
        DESK_SMS_ANDROID_SIGNING_KEY: 'kunci-dari-lingkungan',
      },
    )
    await a.until(/SMS Android: .*\)/)
    expect(a.output()).toMatch(
      /webhook http:\/\/127\.0\.0\.1:\d+\/api\/v1\/sms\/android \(bertanda tangan\)/,
    )
    expect(a.output()).not.toContain('kunci-dari-lingkungan')
    expect(a.output()).not.toContain('sandi-ponsel-rahasia')
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
  }, 90_000)

  it('stops in one Indonesian sentence when a gammu folder cannot be made, and leaves the data dir unlocked', async () => {
    const dir = tempDir('desk-sms-cli-')
    const spool = tempDir('desk-sms-spool-')
    writeFileSync(join(spool, 'gammu'), 'bukan folder')
    const a = run([
      '--data-dir',
      dir,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--sms-gammu-inbox',
      join(spool, 'gammu', 'inbox'),
      '--sms-gammu-outbox',
      join(spool, 'outbox'),
    ])
    expect(await a.exited).toBe(1)
    expect(a.output()).toContain(
      `Folder inbox Gammu: desk tidak bisa membuat ${join(spool, 'gammu', 'inbox')}`,
    )
    expect(a.output()).not.toMatch(/\n\s+at |EEXIST|ENOTDIR|siap di/)
    expect(existsSync(join(dir, 'desk.lock'))).toBe(false)
  }, 90_000)
})
