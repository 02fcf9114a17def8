// The string helpers; what normalisation does to a body is in test/scan-cases.test.ts, for the
// fast path and the reference scanner alike.
import { describe, expect, test } from 'vitest'
import { isBinaryContentType, normalizeMarker, normalizeText } from './normalize.js'

describe('normalizeMarker', () => {
  test('trims, collapses whitespace and composes, but does not decode escapes', () => {
    expect(normalizeMarker('  Ann \t Lee  ')).toBe('Ann Lee')
    expect(normalizeMarker('Jose\u0301')).toBe('José')
    expect(normalizeMarker('R&amp;D')).toBe('R&amp;D')
    expect(normalizeMarker('O’Brien')).toBe("O'Brien")
  })
})

describe('normalizeText', () => {
  test('returns the same text when there is nothing to do, from a string or bytes', () => {
    const body = '<p>plain ascii text with single spaces</p>'
    expect(normalizeText(body)).toBe(body)
    expect(normalizeText(Buffer.from(body))).toBe(body)
  })

  test('binary content types yield no text; svg and any case of a text type are text', () => {
    expect(isBinaryContentType(' IMAGE/PNG ')).toBe(true)
    expect(isBinaryContentType('application/pdf')).toBe(true)
    expect(isBinaryContentType('image/svg+xml')).toBe(false)
    expect(isBinaryContentType('Text/HTML; charset=utf-8')).toBe(false)
    expect(normalizeText('Mary', 'font/woff2')).toBe('')
  })
})
