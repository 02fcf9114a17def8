import { describe, expect, test } from 'vitest'
import { escapeHtml, serializeForScript } from './escape.js'

describe('serializeForScript', () => {
  test('escapes <, >, &, U+2028 and U+2029 as \\uXXXX', () => {
    const out = serializeForScript({ s: '</script><!--&\u2028\u2029' })
    expect(out).toBe('{"s":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029"}')
    expect(out).not.toMatch(/[<>&\u2028\u2029]/)
  })

  test('round-trips through JSON.parse to the same value', () => {
    const value = { name: `</script><script>alert(1)</script>`, quote: `O'Brien "x"`, n: 1 }
    expect(JSON.parse(serializeForScript(value))).toEqual(value)
  })
})

describe('escapeHtml', () => {
  test('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    )
  })
})
