import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { join, resolve } from 'node:path'

let built: string | null = null

/**
 * The built app (electron-vite output: main/cli.js, preload, renderer) for tests that need it.
 * `DESK_BUILD_DIR` when set (`npm test` builds once into out/), else a private build under
 * tests/.artifacts so parallel runs never read a half-written out/.
 */
export function builtApp(): string {
  if (process.env.DESK_BUILD_DIR) return resolve(process.env.DESK_BUILD_DIR)
  if (built) return built
  // Inside the project (gitignored), so the built main code resolves node_modules.
  const root = join(__dirname, '..', '..')
  mkdirSync(join(root, 'tests', '.artifacts'), { recursive: true })
  const out = mkdtempSync(join(root, 'tests', '.artifacts', 'build-'))
  execFileSync('npx', ['electron-vite', 'build', '--outDir', out], { stdio: 'ignore', cwd: root })
  if (!existsSync(join(out, 'renderer', 'index.html')) || !existsSync(join(out, 'main', 'cli.js')))
    throw new Error('build failed')
  built = out
  return out
}

/** The built UI (renderer) directory, for `startDesk({ staticDir: builtUi() })`. */
export function builtUi(): string {
  return join(builtApp(), 'renderer')
}

/** Runs the built `cli.js` with `args` to its end: exit code, and stdout then stderr as one text. */
export function runCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(builtApp(), 'main', 'cli.js'), ...args],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr })
      },
    )
  })
}
