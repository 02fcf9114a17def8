import { describe, expect, test } from 'vitest'
import { SessionRegistry, isSessionLike } from './session-registry.js'

describe('isSessionLike', () => {
  test.each([
    ['sid', 'a1b2c3d4e5f6a7b8', true],
    ['anything', 's%3AaB9xQ.longsigned1value', true],
    ['session', 'Zx8kq2Lm', true],
    ['token', 'eyJhbGciOiJIUzI1NiJ9.e30.abc', true],
    ['lang', 'en', false],
    ['consent', 'accepted-all-cookies', false],
    ['sid', '', false],
    ['sid', 'deleted', false],
    ['session', 'aaaaaaaa', false],
    ['AWSALB', 'x1Y2z3W4v5U6t7S8r9Q0p1O2n3M4', false],
    ['ARRAffinity', '0123456789abcdef0123456789abcdef', false],
    ['BIGipServerpool_web', '1677787402.36895.0000', false],
  ])('%s=%s -> %s', (name, value, expected) => {
    expect(isSessionLike(name, value)).toBe(expected)
  })
})

describe('SessionRegistry', () => {
  const sid = { name: 'sid', value: 'a1b2c3d4e5f6a7b8c9d0' }

  test('reports the first holder when a second VU gets the same value', () => {
    const r = new SessionRegistry()
    expect(r.record(1, [sid])).toEqual([])
    expect(r.record(1, [sid])).toEqual([])
    expect(r.record(2, [sid])).toEqual([{ name: 'sid', holder: 1 }])
  })

  test('evicts the oldest values beyond its bound', () => {
    const r = new SessionRegistry(2)
    const v = (i: number): { name: string; value: string } => ({
      name: 'sid',
      value: `value${i}abcdefghijklmn`,
    })
    r.record(1, [v(1)])
    r.record(1, [v(2)])
    r.record(1, [v(3)])
    expect(r.size).toBe(2)
    expect(r.record(2, [v(1)])).toEqual([])
    expect(r.record(3, [v(3)])).toEqual([{ name: 'sid', holder: 1 }])
  })

  test('forget() releases a VU', () => {
    const r = new SessionRegistry()
    r.record(1, [sid])
    r.forget(1)
    expect(r.size).toBe(0)
    expect(r.record(2, [sid])).toEqual([])
  })
})
