// Types for tests/lint, which checks the rule in eslint-boundaries.mjs.
import type { ESLint } from 'eslint'

export const boundaries: ESLint.Plugin
