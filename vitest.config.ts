import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,electron,renderer,scripts,bench,e2e/faults,e2e/real}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['scripts/vitest/globalSetup.ts'],
    setupFiles: ['scripts/vitest/setup.ts'],
    // Vitest's default is one file fewer than the cores: one at a time on 2 cores, although most
    // files spend their time waiting on servers, sockets and timers rather than computing. Three on 2
    // cores: the stage took 209 s (1.75 cores busy) against 305 s with two.
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
