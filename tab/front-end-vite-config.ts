// The one Vite configuration of the tab and the add-in: each is served by the service under
// /<its folder>/ (docs/api.md) and may have several pages (the add-in's sign-in dialog, the tab's
// consent pop-up).
import { basename, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

/** `pages`: entry name → HTML file in `root`; the name prefixes that page's script chunk. */
export function frontEndViteConfig(root: string, pages: Record<string, string>): UserConfig {
  return defineConfig({
    root,
    base: `/${basename(root)}/`,
    plugins: [react()],
    resolve: { conditions: ['source'] },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // budgets are held on gzipped initial JavaScript by the browser tests, not on raw chunks
      chunkSizeWarningLimit: 1024,
      sourcemap: true,
      rolldownOptions: {
        input: Object.fromEntries(
          Object.entries(pages).map(([name, file]) => [name, resolve(root, file)]),
        ),
      },
    },
  });
}
