// `npm run bench`: each bench/*.bench.ts prints its figures beside a reference measured in the
// same run. Nothing here asserts a time: benchmarks are never timed tests.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    setupFiles: ['tests/setup.ts'],
    environment: 'node',
    testTimeout: 30 * 60_000,
    fileParallelism: false,
    disableConsoleIntercept: true,
    reporters: ['verbose'],
  },
})
