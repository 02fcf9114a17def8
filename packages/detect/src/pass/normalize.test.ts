import { describe, expect, test } from 'vitest'
import { normalizeBody, normalizeMarker } from './normalize.js'

describe('normalizeBody', () => {
  test('decodes the common named entities', () => {
    expect(normalizeBody('&amp; &lt; &gt; &quot; &apos; O&#39;Brien')).toBe(`& < > " ' O'Brien`)
  })

  test('decodes accented letters by name, decimal and hex', () => {
    expect(normalizeBody('Zo&euml; J&ouml;rg &Eacute;lise &#233; &#xE9; &#XE9 &Lstrok;')).toBe(
      'Zoë Jörg Élise é é é Ł'
    )
  })

  test('numeric references follow the browser rules (cp1252 range, invalid -> U+FFFD)', () => {
    expect(normalizeBody('&#150;&#0;&#x110000;&#xD800;')).toBe('-\ufffd\ufffd\ufffd')
  })

  test('leaves unknown or unterminated named references as text', () => {
    expect(normalizeBody('&bogus; &amp &copy')).toBe('&bogus; &amp &copy')
  })

  test('decodes once: &amp;lt; is the text &lt;', () => {
    expect(normalizeBody('&amp;lt; &amp;#39;')).toBe('&lt; &#39;')
  })

  test('decodes JSON string escapes', () => {
    expect(normalizeBody('{"name":"Ren\\u00e9e \\"Ren\\" O\\/Neil","path":"a\\\\b"}')).toBe(
      '{"name":"Renée "Ren" O/Neil","path":"a\\b"}'
    )
  })

  test('JSON \\n and \\t become a single space', () => {
    expect(normalizeBody('Ann\\nLee \\t x')).toBe('Ann Lee x')
  })

  test('collapses whitespace runs, including &nbsp; and U+00A0, to one space', () => {
    expect(normalizeBody('Ann \n\t  Lee&nbsp;Smith\u00a0 &nbsp; Jr')).toBe('Ann Lee Smith Jr')
  })

  test("drops React's empty comments between text nodes", () => {
    expect(normalizeBody('Welcome, <!-- -->Mary<!-- --> <!-- -->Smith<!---->!')).toBe(
      'Welcome, Mary Smith!'
    )
  })

  test('keeps comments with content (they may hold leaked data)', () => {
    expect(normalizeBody('<!-- user: bob -->')).toBe('<!-- user: bob -->')
  })

  test('drops soft hyphens and zero-width characters', () => {
    expect(normalizeBody('Mar&shy;y Sm\u200bith Jo\\u200bnes')).toBe('Mary Smith Jones')
  })

  test('typographic apostrophes and hyphens read as ASCII', () => {
    expect(normalizeBody('O’Brien O&rsquo;Neil Smith‐Jones Ann&ndash;Lee')).toBe(
      "O'Brien O'Neil Smith-Jones Ann-Lee"
    )
    expect(normalizeMarker('O’Brien')).toBe("O'Brien")
  })

  test('composes decomposed accents (NFC)', () => {
    expect(normalizeBody('Jose\u0301')).toBe('José')
  })

  // Regression: every empty comment used to send the whole page through NFC (7 µs of 20 per page).
  test('composes across a dropped React comment, and leaves ASCII around one as it is', () => {
    expect(normalizeBody('Jose<!-- -->\u0301')).toBe('José')
    expect(normalizeBody('Ann<!-- --> Lee')).toBe('Ann Lee')
  })

  test('returns the same text when there is nothing to do', () => {
    const body = '<p>plain ascii text with single spaces</p>'
    expect(normalizeBody(body)).toBe(body)
  })

  test('binary content types yield no text; svg is text', () => {
    expect(normalizeBody('Mary', 'image/png')).toBe('')
    expect(normalizeBody('Mary', 'image/svg+xml')).toBe('Mary')
  })
})

describe('normalizeMarker', () => {
  test('trims, collapses whitespace and composes, but does not decode escapes', () => {
    expect(normalizeMarker('  Ann \t Lee  ')).toBe('Ann Lee')
    expect(normalizeMarker('Jose\u0301')).toBe('José')
    expect(normalizeMarker('R&amp;D')).toBe('R&amp;D')
  })
})
