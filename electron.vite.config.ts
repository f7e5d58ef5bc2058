import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'

/**
 * The reporter form (/lapor) runs on Preact through preact/compat; the console, board and public
 * page keep React. One renderer build serves both, so the swap is made per importer: only modules
 * under src/renderer/lapor/ get Preact for `react`, `react-dom/client` and the JSX runtime. Phones
 * on EDGE/2G load about 45 KB less (issue 11 item 7: JS + CSS at most 60 KB gzipped).
 */
function preactForLapor(): Plugin {
  const laporDir = resolve(__dirname, 'src/renderer/lapor')
  const swap: Record<string, string> = {
    react: 'preact/compat',
    'react-dom': 'preact/compat',
    'react-dom/client': 'preact/compat/client',
    'react/jsx-runtime': 'preact/jsx-runtime',
    'react/jsx-dev-runtime': 'preact/jsx-dev-runtime',
  }
  return {
    name: 'preact-for-lapor',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const target = swap[source]
      if (!target || !importer || !resolve(importer.split('?')[0]!).startsWith(laporDir))
        return null
      return this.resolve(target, importer, { ...options, skipSelf: true })
    },
  }
}

// One build, three targets. `main` also carries the headless CLI (out/main/cli.js), so
// `npm run serve` runs the very same host code that Electron's main process starts.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/host/cli.ts'),
          // The export worker thread (workbook builds off the event loop): started by file name.
          'export-worker': resolve(__dirname, 'src/service/export-worker.ts'),
          // Uploaded tables are parsed in a thread of their own, thrown away after each file.
          'upload-worker': resolve(__dirname, 'src/server/upload-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // DESK_LAPOR_RUNTIME=react builds the form on React, as the baseline of bench/lapor-load.ts.
    plugins: [...(process.env.DESK_LAPOR_RUNTIME === 'react' ? [] : [preactForLapor()]), react()],
    // Every page is served by the desk over HTTP (Electron's window too), and screens live at
    // nested paths (/lapor/…, /tps/…): pages name their assets from the site root, never relative
    // to the page. (electron-vite forces base './' in production, hence renderBuiltUrl.)
    experimental: {
      renderBuiltUrl: (filename, { hostType }) =>
        hostType === 'html' ? `/${filename}` : { relative: true },
    },
    build: {
      // Phones on weak signal load this: ship it minified.
      minify: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          lapor: resolve(__dirname, 'src/renderer/lapor.html'),
          // The desktop app's start screen (desk-app://start/start.html): no desk serves it.
          start: resolve(__dirname, 'src/renderer/start.html'),
          'lapor-sw': resolve(__dirname, 'src/renderer/lapor/sw.ts'),
        },
        // The reporter form's service worker must be served from the site root to control /lapor.
        output: {
          entryFileNames: (chunk) =>
            chunk.name === 'lapor-sw' ? 'lapor-sw.js' : 'assets/[name]-[hash].js',
        },
      },
    },
  },
})
