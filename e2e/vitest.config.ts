import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    // Real processes on a shared 2-core machine: generous per-test bounds, still bounded.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
    // Each file starts servers and drives them hard; running them one at a time keeps timings honest.
    fileParallelism: false,
  },
})
