import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

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
    plugins: [react()],
    // Every page is served by the desk over HTTP (Electron's window too), and screens live at
    // nested paths (/lapor/…, /tps/…): pages name their assets from the site root, never relative
    // to the page. (electron-vite forces base './' in production, hence renderBuiltUrl.)
    experimental: {
      renderBuiltUrl: (filename, { hostType }) => (hostType === 'html' ? `/${filename}` : { relative: true }),
    },
    build: {
      // Phones on weak signal load this: ship it minified.
      minify: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          lapor: resolve(__dirname, 'src/renderer/lapor.html'),
          'lapor-sw': resolve(__dirname, 'src/renderer/lapor/sw.ts'),
        },
        // The reporter form's service worker must be served from the site root to control /lapor.
        output: { entryFileNames: (chunk) => (chunk.name === 'lapor-sw' ? 'lapor-sw.js' : 'assets/[name]-[hash].js') },
      },
    },
  },
})
