import tseslint from 'typescript-eslint'

// Folder boundaries are architecture: domain ← store ← service ← server ← host ← main.
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'bench/.results/**', 'tests/.artifacts/**', '.electron-native/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: restrict([
      { group: ['node:*', 'fs', 'path', 'http', 'crypto'], message: 'src/domain is pure: no I/O.' },
      { group: ['**/store/**', '**/service/**', '**/server/**', '**/host/**', '**/main/**', '**/renderer/**', 'electron', 'better-sqlite3', 'express'], message: 'src/domain imports nothing above it.' },
    ]),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict([{ group: ['**/service/**', '**/server/**', '**/host/**', '**/main/**', '**/renderer/**', 'electron', 'express'], message: 'store depends only on domain/shared.' }]),
  },
  {
    files: ['src/service/**/*.ts'],
    rules: restrict([{ group: ['**/server/**', '**/host/**', '**/main/**', '**/renderer/**', 'electron', 'express'], message: 'service depends on store/domain/shared only.' }]),
  },
  {
    files: ['src/server/**/*.ts', 'src/export/**/*.ts', 'src/discovery/**/*.ts'],
    rules: restrict([{ group: ['**/host/**', '**/main/**', '**/renderer/**', 'electron'], message: 'server never imports the host, Electron or the UI.' }]),
  },
  {
    files: ['src/host/**/*.ts', 'src/sim/**/*.ts'],
    rules: restrict([{ group: ['**/main/**', '**/renderer/**', 'electron'], message: 'Only src/main and src/preload import electron.' }]),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([{ group: ['node:*', '**/domain/**', '**/store/**', '**/service/**', '**/server/**', '**/host/**', 'electron'], message: 'shared is used by the UI: no Node, nothing below it.' }]),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: restrict([{ group: ['node:*', '**/domain/**', '**/store/**', '**/service/**', '**/server/**', '**/host/**', 'electron', 'better-sqlite3'], message: 'The renderer imports only src/shared.' }]),
  },
)
