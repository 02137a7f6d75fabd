import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts', 'tests/electron/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A browser step on a loaded 2-core machine can take seconds (the Sandbox issues its demo CA and
    // certificates on first start): poll for up to 10 s, not Vitest's default 1 s.
    expect: { poll: { timeout: 10_000 } },
    // One browser at a time: 2 cores.
    fileParallelism: false,
  },
})
