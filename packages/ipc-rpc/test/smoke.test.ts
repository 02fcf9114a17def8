import { expect, test } from 'vitest'
import { placeholder } from '../src/index.js'
test('smoke', () => {
  expect(placeholder).toBe(1)
})
