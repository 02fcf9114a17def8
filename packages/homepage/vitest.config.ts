import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'homepage',
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'test/**/*.test.ts',
      'test/**/*.test.tsx',
      'bench/**/*.test.ts',
    ],
    // Real processes on a shared 2-core machine: generous per-test bounds, still bounded.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    exclude: ['**/*.browser.test.ts', '**/node_modules/**', '**/dist/**'],
  },
})
