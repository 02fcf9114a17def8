// idMayStand() decides from the two units around a value alone where no context can hold an id,
// for the token check (rescan/token-change.ts): holds() must never be true where it says no.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { IdContext, idMayStand } from './id-context.js'
import { EDGE } from './word-set.js'

const context = new IdContext({
  column: 'userId',
  json: ['userId', 'id'],
  attributes: ['data-uid'],
  pathSegments: ['users'],
})
/** Names, values and the punctuation around them, next to one another. */
const piece = fc.constantFrom(
  '"userId"',
  '"id"',
  'data-uid',
  'DATA-UID',
  '/users/',
  'users',
  '104',
  'u7f',
  '"',
  "'",
  ':',
  '=',
  '/',
  ' ',
  ',',
  '}',
  ']',
  '{',
  '>',
  '<',
  '?',
  '#',
  '-',
  '_',
  '.',
  '+',
  'x'
)

/** A value where a context may stand, quoted or not, and what may follow it. */
const slot = fc
  .tuple(
    fc.constantFrom('{"userId":', '{"id": ', '<i data-uid=', '<i DATA-UID = ', '/users/', 'x', ''),
    fc.constantFrom('', '"', "'"),
    fc.constantFrom('104', 'u7f'),
    fc.constantFrom('', '"', "'"),
    fc.constantFrom('', '/', '>', ' ', ',', '}', ']', '-', '?', '#', ' }')
  )
  .map((parts) => parts.join(''))

test('no context holds an id between two units idMayStand() rules out', () => {
  let held = 0
  const text = fc.array(fc.oneof(slot, piece), { minLength: 1, maxLength: 8 })
  fc.assert(
    fc.property(text, (pieces) => {
      const text = pieces.join('')
      const units = Uint16Array.from(text, (c) => c.charCodeAt(0))
      const n = units.length
      for (let start = 0; start < n; start++) {
        for (let end = start + 1; end <= n; end++) {
          if (context.holds(units, n, start, end)) {
            held++
            const before = start > 0 ? (units[start - 1] as number) : EDGE
            const after = end < n ? (units[end] as number) : EDGE
            expect(idMayStand(before, after), `${text} [${start}, ${end})`).toBe(true)
          }
        }
      }
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 2000) }
  )
  // Not vacuous: every context held ids, many times.
  expect(held).toBeGreaterThan(500)
})

test('rules out a value with token punctuation after it, or after a letter', () => {
  for (const before of ['"', "'", ':', '=', ' ', '/']) {
    for (const after of ['-', '_', '.', '+', '=']) {
      expect(idMayStand(before.charCodeAt(0), after.charCodeAt(0))).toBe(false)
    }
  }
  expect(idMayStand('x'.charCodeAt(0), EDGE)).toBe(false)
  expect(idMayStand(EDGE, '"'.charCodeAt(0))).toBe(false)
  expect(idMayStand('"'.charCodeAt(0), '"'.charCodeAt(0))).toBe(true)
  expect(idMayStand('/'.charCodeAt(0), '/'.charCodeAt(0))).toBe(true)
})
