import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real k6: `npm run test:live` (vitest.live.config.ts).
    exclude: ['test/live/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: forks keep native modules (resvg) and servers isolated per file.
    pool: 'forks',
  },
});
