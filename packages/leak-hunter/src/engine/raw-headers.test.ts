import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { HttpResponse } from './http-response.js'
import { parseRawHeaders, rawHeaderValues } from './raw-headers.js'

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

describe('looking up one header without parsing the rest', () => {
  const names = ['Set-Cookie', 'set-cookie', 'SET-COOKIE', 'Content-Type', 'content-typf', 'Vary']
  const lookups = ['set-cookie', 'content-type', 'vary', 'expires']

  test('rawHeaderValues and HttpResponse.header give what parseRawHeaders gives, before and after it', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...names),
            fc.string({ maxLength: 6 }).map((v) => v.replace(/[^\x20-\xff]/g, 'x'))
          ),
          { maxLength: 8 }
        ),
        fc.boolean(),
        (pairs, parseFirst) => {
          const raw = pairs.flatMap(([n, v]) => [
            Buffer.from(n, 'latin1'),
            Buffer.from(v, 'latin1'),
          ])
          const parsed = parseRawHeaders(raw)
          const response = new HttpResponse(200, raw, new Uint8Array(0), false)
          if (parseFirst) {
            expect(response.headers).toEqual(parsed)
          }
          for (const name of lookups) {
            const value = parsed[name]
            const all = value === undefined ? undefined : Array.isArray(value) ? value : [value]
            expect(rawHeaderValues(raw, name)).toEqual(all)
            expect(response.headerValues(name)).toEqual(all)
            expect(response.header(name)).toBe(all?.join(', '))
          }
          expect(response.headers).toEqual(parsed)
        }
      )
    )
  })

  test('names match ignoring ASCII case only, and string names work too', () => {
    expect(rawHeaderValues(raw('SET-cookie', 'a=1', 'Set-Cookie2', 'b=2'), 'set-cookie')).toEqual([
      'a=1',
    ])
    // Latin-1 0xC9 lower-cases to 0xE9, never to an ASCII letter.
    expect(rawHeaderValues([Buffer.from([0xc9]), Buffer.from('v')], 'i')).toBeUndefined()
    expect(rawHeaderValues(['Vary', 'Cookie'], 'vary')).toEqual(['Cookie'])
  })
})
