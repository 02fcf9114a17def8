import { describe, expect, test } from 'vitest'
import { UnitBuffer } from './unit-buffer.js'

describe('UnitBuffer', () => {
  test('grows past its capacity and keeps what it holds', () => {
    const buffer = new UnitBuffer(4)
    buffer.setString('abc')
    buffer.reserve(10_000)
    expect(buffer.units.length).toBeGreaterThanOrEqual(10_000)
    expect(buffer.toString()).toBe('abc')
  })

  test('converts long text and lone surrogates back unchanged', () => {
    const text = 'x\ud800y\udc00'.repeat(5000) + '😀'
    const buffer = new UnitBuffer(1)
    buffer.setString(text)
    expect(buffer.length).toBe(text.length)
    expect(buffer.toString()).toBe(text)
  })
})
