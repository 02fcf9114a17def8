import { describe, expect, test } from 'vitest'
import { closestName, editDistance } from './closest-name.js'

const FLAGS = [
  'duration',
  'iterations',
  'json',
  'html',
  'events',
  'vus',
  'version',
  'rate',
  'ramp-up',
  'seed',
]

describe('closestName', () => {
  test.each([
    ['duraton', 'duration'],
    ['durration', 'duration'],
    ['duratoin', 'duration'],
    ['dur', 'duration'],
    ['jsn', 'json'],
    ['iteration', 'iterations'],
    ['rampup', 'ramp-up'],
  ])('%s -> %s', (typo, expected) => {
    expect(closestName(typo, FLAGS)).toBe(expected)
  })

  test('nothing close, or an ambiguous prefix, suggests nothing', () => {
    expect(closestName('frobnicate', FLAGS)).toBeUndefined()
    expect(closestName('xyz', FLAGS)).toBeUndefined()
    expect(closestName('v', FLAGS)).toBeUndefined()
  })

  test('edit distance counts an adjacent swap as one edit', () => {
    expect(editDistance('duratoin', 'duration')).toBe(1)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })
})
