import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'leak-hunter',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    exclude: ['**/*.browser.test.ts', '**/node_modules/**', '**/dist/**'],
  },
})
