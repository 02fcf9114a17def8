import { describe, expect, test } from 'vitest'
import { checkSelector, extractValue } from './extract.js'
import type { ExtractSource } from './extract.js'

const html = `<html><head><meta name="csrf-token" content="meta-tok"></head><body>
<form><input type="hidden" name="_csrf" value="hidden-tok"><input name="empty" value=""></form>
<span class="who" data-id="u-7"> Ann &amp; Co </span></body></html>`

function source(body: string, extra: Partial<ExtractSource> = {}): ExtractSource {
  return { headers: {}, body, cookie: () => undefined, ...extra }
}

describe('extractValue', () => {
  test('CSS selector: hidden input value, meta content, explicit attribute, text', () => {
    expect(
      extractValue(
        { from: 'css', selector: 'input[name=_csrf]', attribute: undefined },
        source(html)
      )
    ).toBe('hidden-tok')
    expect(
      extractValue(
        { from: 'css', selector: 'meta[name="csrf-token"]', attribute: undefined },
        source(html)
      )
    ).toBe('meta-tok')
    expect(
      extractValue({ from: 'css', selector: '.who', attribute: 'data-id' }, source(html))
    ).toBe('u-7')
    expect(
      extractValue({ from: 'css', selector: 'span.who', attribute: undefined }, source(html))
    ).toBe('Ann & Co')
    expect(
      extractValue({ from: 'css', selector: 'input[name=empty]', attribute: 'value' }, source(html))
    ).toBe('')
  })

  test('regex with a group, JSON path, header, cookie', () => {
    expect(
      extractValue({ from: 'regex', pattern: /token=(\w+)/, group: 1 }, source('a token=abc123 b'))
    ).toBe('abc123')
    const json = JSON.stringify({ data: { items: [{ id: 4 }, { id: 'x' }], token: 't' } })
    expect(extractValue({ from: 'json', path: 'data.items[1].id' }, source(json))).toBe('x')
    expect(extractValue({ from: 'json', path: '$.data.items[0].id' }, source(json))).toBe('4')
    expect(
      extractValue(
        { from: 'header', name: 'x-csrf-token' },
        source('', { headers: { 'x-csrf-token': 'h' } })
      )
    ).toBe('h')
    expect(
      extractValue(
        { from: 'cookie', name: 'csrf' },
        source('', { cookie: (n) => (n === 'csrf' ? 'c' : undefined) })
      )
    ).toBe('c')
  })

  test('nothing found is HUNT_ERR_EXTRACT_FAILED', () => {
    const cases = [
      { from: 'css', selector: 'input[name=other]', attribute: undefined },
      { from: 'css', selector: '.who', attribute: 'missing' },
      { from: 'regex', pattern: /nope=(\d+)/, group: 1 },
      { from: 'json', path: 'data.none' },
      { from: 'header', name: 'x-none' },
      { from: 'cookie', name: 'none' },
    ] as const
    for (const rule of cases) {
      expect(() => extractValue(rule, source(html)), rule.from).toThrow(
        expect.objectContaining({ code: 'HUNT_ERR_EXTRACT_FAILED' })
      )
    }
    // A body that is not JSON finds nothing rather than throwing a SyntaxError.
    expect(() => extractValue({ from: 'json', path: 'a' }, source('<html>'))).toThrow(
      expect.objectContaining({ code: 'HUNT_ERR_EXTRACT_FAILED' })
    )
  })

  test('checkSelector reports selectors css-select cannot compile', () => {
    expect(checkSelector('input[name=_csrf]')).toBeUndefined()
    expect(checkSelector('input[name=')).toMatch(/invalid CSS selector/)
  })
})
