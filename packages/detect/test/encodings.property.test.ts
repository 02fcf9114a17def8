import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { normalizeMarker } from '../src/pass/normalize.js'
import { labels, scanners } from './scanners.js'

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

describe.each(scanners)('%s: normalisation properties', (_name, run) => {
  const normalize = (body: string): string => run(body, [], { columns: ['x'] }).text

  test('a name is found however the page encodes it', () => {
    fc.assert(
      fc.property(name, fc.constantFrom(...Object.keys(encoders)), (n, how) => {
        const marker = normalizeMarker(n)
        const encoded = (encoders[how] as Encoder)(marker)
        const body = `<p>Hello, ${encoded}!</p>`
        const result = run(body, [{ id: 'a', markers: { name: marker } }], {
          columns: ['name'],
          minLength: 1,
        })
        expect(labels(result)).toEqual([`a:name:${marker}`])
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })

  test('normalising twice changes nothing more for text without escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const once = normalize(s.replace(/[&\\<]/g, ''))
        expect(normalize(once)).toBe(once)
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })
})
