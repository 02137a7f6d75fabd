import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { CHANNELS } from './src/shared/contract'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The CLI shares every service with the app but never loads Electron.
          cli: resolve('src/cli/index.ts'),
          'keygen-worker': resolve('src/main/pki/keygen-worker.ts'),
        },
      },
    },
  },
  preload: {
    define: { __CERTDESK_CHANNELS__: JSON.stringify(CHANNELS) },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload is one CommonJS file that may require only `electron`:
      // bundle everything and emit .cjs. The channel names are the contract's, written in here, so the
      // preload never imports the contract (and zod) itself.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
})
