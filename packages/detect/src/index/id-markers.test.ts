// Id markers inside the marker index: found only where the page says they are ids.
import { describe, expect, test } from 'vitest'
import { buildMarkerIndex } from './marker-index.js'
import { textMarkerNoise } from './marker-noise.js'
import type { Account, MarkerOptions } from './types.js'

const accounts: Account[] = [
  { index: 0, id: 'ann', fields: { name: 'Ann Lee', userId: '7', slug: 'ann-lee' } },
  { index: 1, id: 'bob', fields: { name: 'Bob Jones', userId: '104', slug: 'bob' } },
  { index: 2, id: 'cy', fields: { name: 'Cy Young', userId: '196', slug: '104' } },
]
const options: MarkerOptions = {
  columns: ['name'],
  ids: [
    { column: 'userId', json: ['userId'], attributes: ['data-user-id'], pathSegments: ['users'] },
  ],
  caseInsensitive: false,
  minLength: 3,
}

function found(text: string, o: MarkerOptions = options): string[] {
  return buildMarkerIndex(accounts, o)
    .scan(text)
    .map((h) => `${h.account}:${h.column}:${h.marker}`)
}

describe("id markers (README example: item ids and CSRF tokens hold other users' numeric ids)", () => {
  test('an id counts as the whole value of a named JSON field, attribute or path segment', () => {
    expect(found('{"userId":104}')).toEqual(['1:userId:104'])
    expect(found('<body data-user-id="104">')).toEqual(['1:userId:104'])
    expect(found('<a href="/users/104/">')).toEqual(['1:userId:104'])
  })

  test('the same digits anywhere else are noise', () => {
    const page =
      '<li data-item-id="104">x</li><meta name="csrf-token" content="100_104-xyz"> 104 items, {"id":104}'
    expect(found(page)).toEqual([])
  })

  test('minLength does not apply to ids: a one-digit id in its field is found', () => {
    expect(found('{"userId": 7}')).toEqual(['0:userId:7'])
    expect(found('7 days')).toEqual([])
  })

  test("a value that is one account's id and another's free text counts per column", () => {
    const o: MarkerOptions = {
      columns: ['name', 'slug'],
      ids: [{ column: 'userId', json: ['userId'], attributes: [], pathSegments: [] }],
      caseInsensitive: false,
      minLength: 3,
    }
    // "104" is bob's userId and cy's slug (free text, only here to build a mixed pattern).
    expect(found('{"userId":104}', o).sort()).toEqual(['1:userId:104', '2:slug:104'])
    expect(found('page 104', o)).toEqual(['2:slug:104'])
    const index = buildMarkerIndex(accounts, o)
    const units = Uint16Array.from('page 104'.split(''), (c) => c.charCodeAt(0))
    // For bob, "page 104" is not his id: the hit is cy's (foreign), bob's own marker is not seen.
    expect(index.scanUnitsFor(units, units.length, 1)).toMatchObject({ ownSeen: false })
  })

  test('a failing id context hides nothing nested in it', () => {
    const withSlug: Account[] = [
      { index: 0, id: 'a', fields: { name: 'Lee', userId: 'Ann Lee' } },
      { index: 1, id: 'b', fields: { name: 'Bob', userId: 'x' } },
    ]
    const index = buildMarkerIndex(withSlug, {
      columns: ['name'],
      ids: [{ column: 'userId', json: ['userId'], attributes: [], pathSegments: [] }],
      caseInsensitive: false,
      minLength: 3,
    })
    expect(index.scan('Hi Ann Lee').map((h) => h.column)).toEqual(['name'])
  })
})

describe('free-text noise (textMarkerNoise)', () => {
  test('numeric values are refused as free text, naming the column, an example and the fix', () => {
    const message = textMarkerNoise(accounts, 'userId', 3)
    expect(message).toContain('"userId": 2 of 2 values have no letter')
    expect(message).toContain('"104" of account bob')
    expect(message).toContain('markers.ids')
    expect(message).toContain('--id-markers userId')
  })

  test('values with a letter pass; values below minLength are not markers at all', () => {
    expect(textMarkerNoise(accounts, 'name', 3)).toBeUndefined()
    expect(textMarkerNoise(accounts, 'userId', 4)).toBeUndefined()
    const dates = [{ index: 0, id: 'a', fields: { born: '1990-01-02' } }]
    expect(textMarkerNoise(dates, 'born', 3)).toContain('no letter')
  })
})
