import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the service at /tab/ (docs/api.md).
export default defineConfig({
  root: import.meta.dirname,
  base: '/tab/',
  plugins: [react()],
  resolve: { conditions: ['source'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // budgets are held on gzipped initial JavaScript by the browser tests, not on raw chunks
    chunkSizeWarningLimit: 1024,
    sourcemap: true,
  },
});
