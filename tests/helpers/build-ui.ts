import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let built: string | null = null

/**
 * The built UI for e2e tests: `DESK_STATIC_DIR` when set (CI builds once), else a private build
 * in a temp dir so parallel runs never read a half-written out/.
 */
export function builtUi(): string {
  if (process.env.DESK_STATIC_DIR) return process.env.DESK_STATIC_DIR
  if (built) return built
  const out = mkdtempSync(join(tmpdir(), 'desk-ui-'))
  execFileSync('npx', ['electron-vite', 'build', '--outDir', out], { stdio: 'ignore', cwd: join(__dirname, '..', '..') })
  built = join(out, 'renderer')
  if (!existsSync(join(built, 'index.html'))) throw new Error('UI build failed')
  return built
}
