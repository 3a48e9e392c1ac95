// The one Vite configuration of the tab and the add-in: each is served by the service under
// /<its folder>/ (docs/api.md) and may have several pages (the add-in's sign-in dialog, the tab's
// consent pop-up).
import { basename, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin, type UserConfig } from 'vite';

/**
 * Lets a page fetch the chunks it imports dynamically on purpose (`import()` to start work before
 * they load) together with its own script, rather than after it has run: modulepreload links for
 * the dynamic imports of the page's entry chunk whose source path ends with one of `modules`.
 */
function preloadDynamicImports(base: string, modules: readonly string[]): Plugin {
  return {
    name: 'warmpath:preload-dynamic-imports',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle, chunk }) {
        if (!bundle || !chunk) return;
        const files = new Set<string>();
        for (const file of chunk.dynamicImports) {
          const imported = bundle[file];
          if (imported?.type !== 'chunk') continue;
          const source = imported.facadeModuleId ?? '';
          if (!modules.some((module) => source.endsWith(module))) continue;
          for (const needed of [file, ...imported.imports]) files.add(needed);
        }
        return [...files]
          .filter((file) => !html.includes(file))
          .map<HtmlTagDescriptor>((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${file}` },
            injectTo: 'head',
          }));
      },
    },
  };
}

export interface FrontEndPages {
  /** entry name → HTML file in `root`; the name prefixes that page's script chunk */
  pages: Record<string, string>;
  /** modules a page imports dynamically but needs at once, e.g. 'src/pane/render-pane.tsx' */
  preload?: readonly string[];
}

export function frontEndViteConfig(
  root: string,
  { pages, preload = [] }: FrontEndPages,
): UserConfig {
  const base = `/${basename(root)}/`;
  return defineConfig({
    root,
    base,
    plugins: [react(), preloadDynamicImports(base, preload)],
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
