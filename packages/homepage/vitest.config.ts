import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'homepage',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['**/*.browser.test.ts', '**/node_modules/**', '**/dist/**'],
  },
})
