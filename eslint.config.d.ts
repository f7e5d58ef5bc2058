// Types for tests/lint, which checks the boundary rule against the table in eslint.config.js.
import type { Linter } from 'eslint'

export const boundaryTable: Record<string, { folders?: string[]; packages?: string[] }>
declare const config: Linter.Config[]
export default config
