import { describe, expect, test } from 'vitest'
import type { Identity } from '../types.js'
import { markerNoise, noiseReason } from './marker-noise.js'

const users: Identity[] = [
  { id: 'ann', markers: { name: 'Ann Lee', userId: '7' } },
  { id: 'bob', markers: { name: 'Bob Jones', userId: '104' } },
  { id: 'cy', markers: { name: 'Cy Young', userId: '196' } },
]

describe("free-text noise (item ids and CSRF tokens hold other users' numeric ids)", () => {
  test('values without a letter are noise as free text', () => {
    expect(noiseReason('104')).toBe('has no letter')
    expect(noiseReason('1990-01-02')).toBe('has no letter')
    expect(noiseReason('Zoë')).toBeUndefined()
  })

  test('counts the noisy values of a column that would be markers, with a first example', () => {
    const found = markerNoise(users, 'userId', 3)
    expect([found.markers, found.noisy, found.example?.value, found.example?.identity.id]).toEqual([
      2,
      2,
      '104',
      'bob',
    ])
  })

  test('values with a letter pass; values below minLength are not markers at all', () => {
    expect(markerNoise(users, 'name', 3).example).toBeUndefined()
    expect(markerNoise(users, 'userId', 4)).toEqual({ markers: 0, noisy: 0, example: undefined })
  })
})
