import { describe, expect, test } from 'vitest'
import { parseThresholds } from './validate-thresholds.js'

describe('thresholds.inconclusive', () => {
  test('defaults to 10 % of requests failing or 10 % of responses unread', () => {
    expect(parseThresholds(undefined, 'thresholds').inconclusive).toEqual({
      errorRate: 0.1,
      unchecked: 0.1,
    })
  })

  test('each limit can be overridden; 1 turns it off', () => {
    const t = parseThresholds({ inconclusive: { errorRate: 1, unchecked: 0.25 } }, 'thresholds')
    expect(t.inconclusive).toEqual({ errorRate: 1, unchecked: 0.25 })
  })

  test.each([
    [{ inconclusive: { errorRate: 2 } }, 'thresholds.inconclusive.errorRate: expected at most 1'],
    [{ inconclusive: { unchecked: -1 } }, 'thresholds.inconclusive.unchecked: expected at least 0'],
    [{ inconclusive: { errors: 0.5 } }, 'thresholds.inconclusive.errors: unknown field'],
  ])('%j is refused', (value, message) => {
    expect(() => parseThresholds(value, 'thresholds')).toThrow(message)
  })
})
