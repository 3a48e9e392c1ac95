import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      '{shared,sim,bot,tab,addin,manifest}/src/**/*.test.ts',
      '{shared,sim,bot,tab,addin,manifest}/src/**/*.test.tsx',
    ],
    globalSetup: ['./vitest.global-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
