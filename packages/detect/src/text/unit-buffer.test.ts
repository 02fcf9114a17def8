import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { buildMarkerIndex } from './marker-index.js'
import { normalizeBody, normalizeBodyInto } from './normalize.js'
import { UnitBuffer } from './unit-buffer.js'

describe('UnitBuffer', () => {
  test('grows past its capacity and keeps what it holds', () => {
    const buffer = new UnitBuffer(4)
    buffer.setString('abc')
    buffer.reserve(10_000)
    expect(buffer.units.length).toBeGreaterThanOrEqual(10_000)
    expect(buffer.toString()).toBe('abc')
  })

  test('converts long text and lone surrogates back unchanged', () => {
    const text = 'x\ud800y\udc00'.repeat(5000) + '😀'
    const buffer = new UnitBuffer(1)
    buffer.setString(text)
    expect(buffer.length).toBe(text.length)
    expect(buffer.toString()).toBe(text)
  })
})

// Bodies from pieces that change length when normalised (escapes, space runs, comments, NFC).
const piece = fc.constantFrom(
  'Ann Lee',
  'ann@x.io',
  '42',
  ' ',
  '\n  \t',
  '&nbsp;',
  '&amp;',
  '&#x1F600;',
  '\\u00e9',
  '\\"',
  '<!-- -->',
  '<p>',
  'e\u0301',
  '\u0958',
  '\u200b',
  '’'
)
const body = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''))

describe('normalising into a reused buffer', () => {
  const accounts = [
    { index: 0, id: 'a', fields: { name: 'Ann Lee', email: 'ann@x.io', uid: '42' } },
    { index: 1, id: 'b', fields: { name: 'Lee', email: 'é', uid: 'क़' } },
  ]
  const index = buildMarkerIndex(accounts, {
    columns: ['name', 'email', 'uid'],
    caseInsensitive: false,
    minLength: 1,
  })

  test('scanning while normalising finds what scanning the result finds', () => {
    const buffer = new UnitBuffer(8)
    const { automaton } = index
    const runs = Number(process.env.FC_RUNS ?? 300)
    let onePass = 0
    fc.assert(
      fc.property(body, fc.boolean(), (b, asBytes) => {
        const bytes = asBytes ? Buffer.from(b) : b
        // false only after NFC changed the text: the detector then scans it anew.
        if (normalizeBodyInto(bytes, 'text/html', buffer, automaton)) {
          onePass++
          const fused = automaton.finish(buffer.units, buffer.length)
          expect(fused).toEqual(automaton.scanUnits(buffer.units, buffer.length))
        }
      }),
      { numRuns: runs }
    )
    // Not vacuous: most bodies take the single pass.
    expect(onePass).toBeGreaterThan(runs / 4)
  })

  test('gives the same text and hits as a fresh normalisation, whatever came before', () => {
    const buffer = new UnitBuffer(8)
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 5 }), (bodies) => {
        for (const b of bodies) {
          normalizeBodyInto(b, 'text/html', buffer)
          const text = normalizeBody(b)
          expect(buffer.toString()).toBe(text)
          expect(index.scanUnits(buffer.units, buffer.length)).toEqual(index.scan(text))
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })
})
