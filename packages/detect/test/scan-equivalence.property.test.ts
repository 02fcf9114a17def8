// scan() against the reference scanner on generated bodies and identities: the same text, the same
// matches, the same owner and foreign answers. The pieces put escapes, whitespace runs, comments,
// multi-byte and NFC text, invalid UTF-8, id contexts and markers next to each other.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Identity, IndexOptions } from '../src/types.js'
import { fastScan } from './scanners.js'
import { referenceScan } from './reference/reference-scan.js'

const RUNS = Number(process.env.FC_RUNS ?? 300)

// Names from a small alphabet (names inside names are common), with accents and apostrophes.
const word = fc.constantFrom(
  'Ann',
  'Lee',
  'Leeds',
  'An',
  'Zoë',
  'Zoe\u0301',
  'O’Brien',
  "O'Neil",
  'Éa',
  'ann'
)
const nameArb = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '))
const identitiesArb = fc
  .array(fc.tuple(nameArb, fc.constantFrom('7', '42', '104', '1423'), fc.boolean()), {
    minLength: 1,
    maxLength: 6,
  })
  .map((rows) =>
    rows.map(([name, uid, slug], i): Identity => ({
      id: `u${i}`,
      markers: {
        name,
        email: `${name.split(' ')[0]?.toLowerCase()}${i}@x.io`,
        userId: uid,
        ...(slug ? { slug: uid } : {}),
      },
    }))
  )

const glue = fc.constantFrom(
  ' ',
  '   ',
  '\n\t',
  '&nbsp;',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\u00ad',
  '\u2060',
  '\u2019',
  '\u2013',
  '\u2011',
  '&shy;',
  '&amp;',
  '&#39;',
  '&#x41;nn',
  '&#65',
  '&am',
  '&',
  '&rsquo;',
  '&eacute;',
  '\\"',
  '\\n',
  '\\u00e9',
  '\\u0041nn',
  '\\ud83d\\ude00',
  '\\',
  '<!-- -->',
  '<!--',
  '-->',
  '<!-- \u00a0 -->',
  '<p>',
  '</p>',
  '"userId":',
  '"userId": "',
  '"',
  'data-user-id="',
  'data-user-id=',
  '/users/',
  '/items/',
  ', ',
  '}',
  'x',
  '€',
  '😀',
  '\u0301',
  'é',
  '\u{20000}'
)

/** A body: glue and markers of the identities, as UTF-8, with now and then an invalid byte. */
function bodyArb(identities: Identity[]): fc.Arbitrary<Buffer> {
  const markers = identities.flatMap((i) =>
    Object.values(i.markers).flatMap((v) => (typeof v === 'string' ? [v, v.toUpperCase()] : []))
  )
  const piece = fc.oneof(
    { arbitrary: glue.map((g) => Buffer.from(g)), weight: 10 },
    { arbitrary: fc.constantFrom(...markers).map((m) => Buffer.from(m)), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        Buffer.from([0xff]),
        Buffer.from([0xe2, 0x82]),
        Buffer.from([0xef, 0xbb, 0xbf])
      ),
      weight: 1,
    }
  )
  return fc.array(piece, { maxLength: 60 }).map((parts) => Buffer.concat(parts))
}

const optionsArb: fc.Arbitrary<IndexOptions> = fc.record({
  columns: fc.constantFrom(['name'], ['name', 'email'], ['name', 'email', 'slug']),
  ids: fc.constantFrom(
    [],
    [{ column: 'userId', json: ['userId'] }],
    [{ column: 'userId', json: ['userId'], attributes: ['data-user-id'], pathSegments: ['users'] }]
  ),
  caseInsensitive: fc.boolean(),
  minLength: fc.integer({ min: 1, max: 4 }),
})

describe('scan() equals the reference scanner', () => {
  test('on generated bodies, identities and options', () => {
    fc.assert(
      fc.property(
        identitiesArb.chain((ids) =>
          fc.tuple(fc.constant(ids), bodyArb(ids), optionsArb, fc.nat({ max: ids.length }))
        ),
        ([identities, body, options, owner]) => {
          const o = { owner: `u${owner}` }
          expect(fastScan(body, identities, options, o)).toEqual(
            referenceScan(body, identities, options, o)
          )
        }
      ),
      { numRuns: RUNS }
    )
  })

  test('with text allowlists', () => {
    fc.assert(
      fc.property(
        identitiesArb.chain((ids) =>
          fc.tuple(
            fc.constant(ids),
            bodyArb(ids),
            optionsArb,
            fc.subarray(ids.map((i) => i.markers.name as string))
          )
        ),
        ([identities, body, options, allowlist]) => {
          const o = { owner: 'u0', allowlist }
          expect(fastScan(body, identities, options, o)).toEqual(
            referenceScan(body, identities, options, o)
          )
        }
      ),
      { numRuns: RUNS }
    )
  })
})
