import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { buildMarkerIndex } from './marker-index.js'
import { normalizeBody, normalizeMarker } from './normalize.js'

// Names with accents, apostrophes, hyphens and spaces; however a server encodes them, the scan
// must see the same text.
const nameChar = fc.constantFrom(..."abcxyzABCXYZéÉöØñçłŁ'-".split(''))
const name = fc
  .array(fc.array(nameChar, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 3 })
  .map((words) => words.map((w) => w.join('')).join(' '))
  .filter((n) => /^[\p{L}].*[\p{L}]$/u.test(n))

type Encoder = (text: string) => string
const encoders: Record<string, Encoder> = {
  plain: (t) => t,
  decimal: (t) => [...t].map((c) => `&#${c.codePointAt(0)};`).join(''),
  hex: (t) => [...t].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
  json: (t) =>
    JSON.stringify(t)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  jsonAll: (t) => [...t].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  html: (t) => t.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/ /g, '&nbsp;'),
  decomposed: (t) => t.normalize('NFD').replace(/ /g, '\n  '),
  react: (t) => t.split(' ').join('<!-- --> <!-- -->'),
}

describe('normalisation properties', () => {
  test('a name is found however the page encodes it', () => {
    fc.assert(
      fc.property(name, fc.constantFrom(...Object.keys(encoders)), (n, how) => {
        const marker = normalizeMarker(n)
        const index = buildMarkerIndex([{ index: 0, id: 'a', fields: { name: marker } }], {
          columns: ['name'],
          caseInsensitive: false,
          minLength: 1,
        })
        const encoded = (encoders[how] as Encoder)(marker)
        const body = `<p>Hello, ${encoded}!</p>`
        const hits = index.scan(normalizeBody(body))
        expect(hits.map((h) => h.marker)).toEqual([marker])
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })

  test('normalising twice changes nothing more for text without escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const once = normalizeBody(s.replace(/[&\\<]/g, ''))
        expect(normalizeBody(once)).toBe(once)
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })
})
