import { defineConfig } from 'vitest/config'

// Browser tests drive Debian's Chromium through playwright-core; `.ci/run` installs it.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.browser.test.ts', 'e2e/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
