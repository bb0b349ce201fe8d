import { defineConfig } from 'vitest/config';

// `npm run test:live`: real k6 against the mock provider. One file at a time: k6 and the mock
// provider need both cores, and a second run beside them would drop iterations.
export default defineConfig({
  test: {
    include: ['test/live/**/*.live.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
