import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'
import { boundaries } from './scripts/eslint-boundaries.mjs'

// Folder boundaries are architecture (docs/ARCHITECTURE.md): domain ← store ← service ← server ←
// host ← main; shared is used by all; the renderer imports only shared; export is used by service
// (the workbook worker), discovery by host; sim drives the API as a client and nothing else. This is an ALLOW-list: per folder,
// the project folders and packages it may import ('node:*' = Node's built-ins); anything else is
// refused. Its own folder is always allowed. A file in a folder missing from this table fails lint,
// so a new folder has to state its place here first.
export const boundaryTable = {
  'src/shared': { packages: ['zod'] },
  'src/domain': {
    folders: ['src/shared'],
    packages: ['topojson-client', 'topojson-specification', 'geojson'],
  },
  'src/store': { folders: ['src/domain', 'src/shared'], packages: ['node:*', 'better-sqlite3'] },
  'src/export': { folders: ['src/domain', 'src/shared'], packages: ['node:*'] },
  'src/discovery': { folders: ['src/shared'], packages: ['node:*', 'bonjour-service', 'qrcode'] },
  'src/service': {
    // resources: the shipped Jember tile layout is bundled as JSON.
    folders: ['src/store', 'src/domain', 'src/shared', 'src/export', 'resources'],
    packages: ['node:*', 'geojson'],
  },
  'src/server': {
    folders: ['src/service', 'src/domain', 'src/shared'],
    // xlsx: uploaded tables are read with SheetJS (server/sheetjs.ts loads it on first use).
    packages: ['node:*', 'express', 'zod', 'xlsx'],
  },
  'src/host': {
    folders: [
      'src/server',
      'src/service',
      'src/store',
      'src/domain',
      'src/shared',
      'src/discovery',
      'resources',
      // package.json: the version shown by the desk.
      '.',
      // The CLI is the one command line: `simulate` runs sim's driver against a desk's API, and
      // `demo` (host/demo.ts) starts a training desk and drives it with the same driver.
      'src/sim',
    ],
    packages: ['node:*', 'zod'],
  },
  // sim drives a desk over HTTP like any client: the API's types and nothing of the desk itself.
  'src/sim': { folders: ['src/shared'], packages: ['node:*'] },
  'src/main': {
    // discovery: the start screen lists desks on the LAN (browseDesks) before any desk runs, so
    // main uses discovery directly, not through a host desk. '.': package.json for the version.
    folders: ['src/host', 'src/shared', 'src/discovery', '.'],
    packages: ['node:*', 'electron'],
  },
  'src/preload': { folders: ['src/shared'], packages: ['electron'] },
  'src/renderer/src': {
    folders: ['src/shared'],
    packages: ['react', 'react-dom', 'chart.js', 'd3-geo', 'geojson', 'qrcode'],
  },
  'src/renderer/lapor': { folders: ['src/shared'], packages: ['react', 'react-dom'] },
  'src/renderer/start': { folders: ['src/shared'], packages: ['react', 'react-dom'] },
  tests: {
    // Tests reach every layer they test; renderer folders only for their pure modules.
    folders: [
      'src/domain',
      'src/store',
      'src/service',
      'src/server',
      'src/host',
      'src/main',
      'src/export',
      'src/discovery',
      'src/sim',
      'src/shared',
      'src/renderer/src',
      'src/renderer/lapor',
      'resources',
      // tests/sim drives the bench's desk process helper.
      'bench',
      // tests/lint checks the boundary rule itself against this table.
      '.',
      'scripts',
    ],
    packages: [
      'node:*',
      'vitest',
      'playwright-core',
      'better-sqlite3',
      'xlsx',
      'd3-geo',
      'geojson',
      'qrcode',
      'fake-indexeddb',
      'electron',
      'eslint',
      'typescript-eslint',
    ],
  },
  bench: {
    folders: [
      'src/domain',
      'src/export',
      'src/host',
      'src/server',
      'src/service',
      'src/sim',
      // the benches reuse the tests' desk starters and fixtures.
      'tests',
    ],
    packages: ['node:*', 'express', 'better-sqlite3', 'playwright-core', 'xlsx'],
  },
  // scripts/eslint-boundaries.mjs is this rule; its types name ESLint's.
  scripts: { packages: ['node:*', 'eslint'] },
  // The root's configuration files (eslint.config.js, electron.vite.config.ts, vitest.config.ts).
  '.': {
    folders: ['scripts'],
    packages: [
      'node:*',
      'electron-vite',
      'vite',
      '@vitejs/plugin-react',
      'vitest',
      'typescript-eslint',
      'eslint-plugin-react-hooks',
      'eslint',
    ],
  },
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'bench/.results/**',
      'tests/.artifacts/**',
      'tests/fixtures/**',
      '.electron-native/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    plugins: { boundaries },
    rules: { 'boundaries/allowed-imports': ['error', boundaryTable] },
  },
  // Type-aware rules that catch real bugs: a promise nobody awaits loses its error; a promise
  // passed where a void callback is expected (an event handler, forEach) is never awaited.
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        // eslint.config.d.ts (types for tests/lint) is in no tsconfig.
        projectService: { allowDefaultProject: ['eslint.config.d.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
