import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * Three bundles: main-process entries (the Electron main, the browser host, the command line)
 * as ESM; the sandboxed preload as CommonJS; the React renderer.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: Object.fromEntries(
          Object.entries({
            main: 'electron/hosts/desktop/main.ts',
            host: 'electron/hosts/browser/main.ts',
            cli: 'electron/hosts/cli/main.ts',
            // WebDAV trash listings are fetched and parsed here, off the main loop.
            'trash-worker': 'electron/providers/webdav/trashWorker.ts',
          })
            .filter(([, file]) => existsSync(file))
            .map(([name, file]) => [name, resolve(file)]),
        ),
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('electron/hosts/desktop/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('renderer/index.html') },
    },
    plugins: [react()],
  },
});
