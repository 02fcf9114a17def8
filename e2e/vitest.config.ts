import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
    // Each file starts servers and drives them hard; running them one at a time keeps timings honest.
    fileParallelism: false,
  },
})
