import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Automaton } from '../automaton/automaton.js'
import { buildTables, run } from '../automaton/build-tables.js'
import { Candidates } from '../automaton/candidates.js'
import { UnitBuffer } from '../text/unit-buffer.js'
import { Pass, normalizeInto } from './normalize-pass.js'
import { normalizeText } from './normalize.js'

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

describe('the fused pass', () => {
  const automaton = new Automaton(
    run(buildTables(['Ann Lee', 'ann@x.io', '42', 'Lee', 'é', 'क़'], false))
  )

  test('scanning while normalising finds what scanning the result finds', () => {
    const buffer = new UnitBuffer(8)
    const pass = new Pass()
    const found = new Candidates()
    const runs = Number(process.env.FC_RUNS ?? 300)
    let onePass = 0
    fc.assert(
      fc.property(body, (b) => {
        // false only after NFC changed the text: the scan then passes over it anew.
        if (normalizeInto(Buffer.from(b), buffer, pass, { decode: true, automaton })) {
          onePass++
          const fused = automaton.finish(pass.found, buffer)
          expect(fused).toEqual(automaton.scanText(buffer, found))
        }
      }),
      { numRuns: runs }
    )
    // Not vacuous: most bodies take the single pass.
    expect(onePass).toBeGreaterThan(runs / 4)
  })

  test('into a reused buffer gives the text of a fresh normalisation, whatever came before', () => {
    const buffer = new UnitBuffer(8)
    const pass = new Pass()
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 5 }), (bodies) => {
        for (const b of bodies) {
          normalizeInto(Buffer.from(b), buffer, pass, { decode: true })
          expect(buffer.toString()).toBe(normalizeText(b))
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })
})
