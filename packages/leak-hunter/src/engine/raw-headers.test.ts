import { describe, expect, test } from 'vitest'
import { parseRawHeaders } from './raw-headers.js'

const raw = (...pairs: string[]): Buffer[] => pairs.map((p) => Buffer.from(p, 'latin1'))

describe('parseRawHeaders', () => {
  test('lower-cases names and keeps values as sent', () => {
    expect(parseRawHeaders(raw('Content-Type', 'text/html', 'X-Id', 'AbC'))).toEqual({
      'content-type': 'text/html',
      'x-id': 'AbC',
    })
  })

  test('a repeated header becomes an array in arrival order, however its name is cased', () => {
    const headers = parseRawHeaders(
      raw('Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'SET-COOKIE', 'c=3')
    )
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2', 'c=3'])
  })

  test('values are latin1, as HTTP/1.1 carries them', () => {
    expect(parseRawHeaders([Buffer.from('x'), Buffer.from([0x63, 0x61, 0x66, 0xe9])]).x).toBe(
      'café'
    )
  })

  test('a header named __proto__ stays a plain field', () => {
    const headers = parseRawHeaders(raw('__proto__', 'x', 'Vary', 'Cookie'))
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('x')
    expect(headers.vary).toBe('Cookie')
  })
})
