import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { MIN_SECRET_LENGTH, REDACTED, SecretBook, secretForms } from './secret-book.js'

describe('SecretBook', () => {
  test('redacts every value it holds, wherever it appears', () => {
    const book = new SecretBook(false)
    book.hold('tok-123456')
    book.hold('hunter2')
    // Secrets side by side become one mark.
    expect(book.redact('a tok-123456 b hunter2hunter2 c')).toBe(`a ${REDACTED} b ${REDACTED} c`)
    expect(book.redact('nothing here')).toBe('nothing here')
  })

  test(`values under ${MIN_SECRET_LENGTH} characters are not searched for in text`, () => {
    const book = new SecretBook(false)
    book.hold('on')
    book.hold('abc')
    expect(book.size).toBe(0)
    expect(book.redact('on abc')).toBe('on abc')
  })

  test('a value is searched for while anyone holds it, released only when the step settles', () => {
    const book = new SecretBook(false)
    book.hold('session-one')
    book.hold('session-one')
    book.release('session-one')
    book.settle()
    expect(book.redact('x session-one')).toBe(`x ${REDACTED}`)
    book.release('session-one')
    // Until settle() the value is still redacted: the response that replaced it may echo it.
    expect(book.redact('x session-one')).toBe(`x ${REDACTED}`)
    book.settle()
    expect(book.redact('x session-one')).toBe('x session-one')
    expect(book.size).toBe(0)
  })

  test('overlapping secrets are covered to the end of the longer one', () => {
    const book = new SecretBook(false)
    book.hold('abcdef')
    book.hold('cdefghij')
    expect(book.redact('xabcdefghijy')).toBe(`x${REDACTED}y`)
    // A shorter secret inside a longer one at the same place: the longer one wins.
    book.hold('abcd')
    expect(book.redact('abcdef')).toBe(REDACTED)
  })

  test('a value is also found URL-encoded, form-encoded and as a page shows it', () => {
    expect(secretForms('p@ss word', false)).toEqual(['p@ss word', 'p%40ss%20word', 'p%40ss+word'])
    const book = new SecretBook(false)
    book.hold('p@ss word')
    expect(book.redact('?pw=p%40ss%20word&x=p%40ss+word <p>p@ss word</p>')).toBe(
      `?pw=${REDACTED}&x=${REDACTED} <p>${REDACTED}</p>`
    )
    // Plain tokens have one form only: holding them is a few map operations.
    expect(secretForms('a1B2-c3_d4.e5~', false)).toEqual(['a1B2-c3_d4.e5~'])
  })

  test('case-insensitive runs fold the body text, so folded forms are found too', () => {
    const book = new SecretBook(true)
    book.hold('AbCdEf123')
    expect(book.redact('abcdef123 and AbCdEf123')).toBe(`${REDACTED} and ${REDACTED}`)
  })

  test('property: no held secret survives redaction', () => {
    const secret = fc.string({
      minLength: MIN_SECRET_LENGTH,
      maxLength: 12,
      unit: 'grapheme-ascii',
    })
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 5 }),
        fc.array(fc.string({ maxLength: 8, unit: 'grapheme-ascii' }), { maxLength: 6 }),
        (secrets, fillers) => {
          const book = new SecretBook(false)
          secrets.forEach((s) => book.hold(s))
          const text = fillers.map((f, i) => f + secrets[i % secrets.length]!).join('')
          const out = book.redact(text)
          // What is left between the marks holds no secret.
          for (const piece of out.split(REDACTED)) {
            for (const s of secrets) {
              expect(piece.includes(s)).toBe(false)
            }
          }
        }
      )
    )
  })
})
