import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the service at /addin/ (docs/api.md): the task pane and the sign-in dialog page.
export default defineConfig({
  root: import.meta.dirname,
  base: '/addin/',
  plugins: [react()],
  resolve: { conditions: ['source'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // budgets are held on gzipped initial JavaScript by the browser tests, not on raw chunks
    chunkSizeWarningLimit: 1024,
    sourcemap: true,
    rolldownOptions: {
      input: {
        taskpane: resolve(import.meta.dirname, 'index.html'),
        'auth-dialog': resolve(import.meta.dirname, 'auth-dialog.html'),
      },
    },
  },
});
