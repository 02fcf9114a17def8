import { describe, expect, test } from 'vitest'
import { buildMarkerIndex } from './marker-index.js'
import type { Account, MarkerOptions } from './types.js'

const opts: MarkerOptions = {
  columns: ['name', 'email', 'uid'],
  caseInsensitive: false,
  minLength: 2,
}

function account(index: number, name: string, email: string, uid: string): Account {
  return { index, id: `user${index}`, fields: { name, email, uid } }
}

const accounts = [
  account(0, 'Ann Lee', 'ann@example.com', '42'),
  account(1, 'Ann Leeds', 'annl@example.com', '1423'),
  account(2, 'Lee Ann Lee', 'lee@example.com', '7'),
]

function spans(text: string, o: MarkerOptions = opts, list = accounts): string[] {
  return buildMarkerIndex(list, o)
    .scan(text)
    .map((h) => `${h.account}:${h.column}:${text.slice(h.start, h.end)}`)
}

describe('boundaries', () => {
  test('"Ann Lee" does not fire inside "Ann Leeds"', () => {
    expect(spans('Hello Ann Leeds!')).toEqual(['1:name:Ann Leeds'])
  })

  test('userId 42 does not fire inside 1423 or x42', () => {
    expect(spans('ids 1423 x42 421')).toEqual(['1:uid:1423'])
    expect(spans('id=42;')).toEqual(['0:uid:42'])
  })

  test('punctuation, markup and text edges are boundaries', () => {
    expect(spans('Ann Lee')).toEqual(['0:name:Ann Lee'])
    expect(spans('<b>Ann Lee</b>, "ann@example.com"')).toEqual([
      '0:name:Ann Lee',
      '0:email:ann@example.com',
    ])
  })

  test('an e-mail preceded by a letter is another address', () => {
    expect(spans('joann@example.com')).toEqual([])
  })

  test('accented letters and combining marks are letters', () => {
    const list = [account(0, 'Ren', 'r@x.io', '11')]
    expect(spans('Renée Renø Ren\u0301 Ren.', opts, list)).toEqual(['0:name:Ren'])
  })

  test('astral letters are letters, emoji are not', () => {
    const list = [account(0, 'Ann', 'a@x.io', '11')]
    expect(spans('\u{20000}Ann 😀Ann', opts, list)).toEqual(['0:name:Ann'])
  })

  test('a lone surrogate is no letter, whatever stands before it', () => {
    const list = [account(0, 'Ann', 'a@x.io', '11')]
    expect(spans('x\udc00Ann\ud800', opts, list)).toEqual(['0:name:Ann'])
  })
})

describe('longest match', () => {
  test('a shorter marker inside a longer matched one does not count', () => {
    // "Ann Lee" (account 0) sits inside "Lee Ann Lee" (account 2) with valid boundaries.
    expect(spans('Hi Lee Ann Lee.')).toEqual(['2:name:Lee Ann Lee'])
  })

  test('separate occurrences are all reported', () => {
    expect(spans('Ann Lee and Ann Leeds')).toEqual(['0:name:Ann Lee', '1:name:Ann Leeds'])
  })
})

describe('options', () => {
  test('case-sensitive by default, case-insensitive on request', () => {
    expect(spans('ANN LEE')).toEqual([])
    expect(spans('ANN LEE', { ...opts, caseInsensitive: true })).toEqual(['0:name:ANN LEE'])
  })

  test('case folding covers non-ASCII letters', () => {
    const list = [account(0, 'Émile Ørsted', 'e@x.io', '11')]
    expect(spans('ÉMILE ØRSTED', { ...opts, caseInsensitive: true }, list)).toEqual([
      '0:name:ÉMILE ØRSTED',
    ])
  })

  test('markers shorter than minLength are ignored', () => {
    expect(spans('uid 7 and 42', { ...opts, minLength: 2 })).toEqual(['0:uid:42'])
    expect(spans('uid 7 and 42', { ...opts, minLength: 3 })).toEqual([])
  })

  test('only the chosen columns are markers', () => {
    expect(spans('Ann Lee 42', { ...opts, columns: ['uid'] })).toEqual(['0:uid:42'])
  })

  test('marker values are normalised like bodies', () => {
    const list = [account(0, '  Ann \t Lee ', 'a@x.io', '11')]
    expect(spans('Ann&nbsp;Lee', opts, list)).toEqual([])
    const index = buildMarkerIndex(list, opts)
    expect(index.scan('Ann Lee')[0]?.marker).toBe('Ann Lee')
  })
})

describe('ambiguities', () => {
  test('the same marker for two accounts is reported at build time', () => {
    const list = [account(0, 'Sam Smith', 'a@x.io', '11'), account(1, 'Sam Smith', 'b@x.io', '12')]
    expect(buildMarkerIndex(list, opts).ambiguities).toEqual([
      { marker: 'Sam Smith', accounts: ['user0 (name)', 'user1 (name)'] },
    ])
  })

  test("a marker equal to another account's marker in another column is reported", () => {
    const list = [account(0, 'root', 'a@x.io', '11'), account(1, 'Bob', 'b@x.io', 'root')]
    expect(buildMarkerIndex(list, opts).ambiguities).toEqual([
      { marker: 'root', accounts: ['user0 (name)', 'user1 (uid)'] },
    ])
  })

  test('markers differing only by case are ambiguous when matching ignores case', () => {
    const list = [account(0, 'Ann', 'a@x.io', '11'), account(1, 'ANN', 'b@x.io', '12')]
    expect(buildMarkerIndex(list, opts).ambiguities).toEqual([])
    expect(buildMarkerIndex(list, { ...opts, caseInsensitive: true }).ambiguities).toHaveLength(1)
  })

  test('one account holding a value in two columns is not ambiguous', () => {
    const list = [account(0, 'bob', 'a@x.io', 'bob')]
    expect(buildMarkerIndex(list, opts).ambiguities).toEqual([])
  })

  test('a match of a shared marker names every holder', () => {
    const list = [account(0, 'Sam Smith', 'a@x.io', '11'), account(1, 'Sam Smith', 'b@x.io', '12')]
    expect(spans('Sam Smith', opts, list).sort()).toEqual(['0:name:Sam Smith', '1:name:Sam Smith'])
  })
})

describe('invalid options', () => {
  test.each([
    [{ ...opts, columns: [] }],
    [{ ...opts, minLength: 0 }],
    [{ ...opts, minLength: 1.5 }],
    [{ ...opts, columns: ['name', 'name'] }],
    [{ ...opts, columns: ['nope'] }],
  ])('rejects %j with HUNT_ERR_MARKERS_INVALID', (o) => {
    expect(() => buildMarkerIndex(accounts, o)).toThrow(
      expect.objectContaining({ code: 'HUNT_ERR_MARKERS_INVALID' })
    )
  })
})

describe('false starts', () => {
  // The scan skips a marker's first letter when the next one cannot continue any marker.
  test('one-letter markers, markers at the very end and non-ASCII second letters are found', () => {
    const list = [account(0, 'X', 'é@x.io', 'Zoë'), account(1, 'Xy', 'u@x.io', 'Zo')]
    const o = { ...opts, minLength: 1 }
    expect(spans('X', o, list)).toEqual(['0:name:X'])
    expect(spans('a X', o, list)).toEqual(['0:name:X'])
    expect(spans('Xy Zo', o, list)).toEqual(['1:name:Xy', '1:uid:Zo'])
    expect(spans('Zoë é@x.io', o, list)).toEqual(['0:uid:Zoë', '0:email:é@x.io'])
    expect(spans('Xz Zx uu@x.io', o, list)).toEqual([])
  })

  test('case-insensitive pairs fold the second letter too', () => {
    const list = [account(0, 'Ann Lee', 'a@x.io', '11')]
    expect(spans('aNN lEE', { ...opts, caseInsensitive: true }, list)).toEqual(['0:name:aNN lEE'])
  })
})

describe('scanUnitsFor', () => {
  const units = (text: string): [Uint16Array, number] => {
    const a = Uint16Array.from(text, (c) => c.charCodeAt(0))
    return [a, a.length]
  }
  const list = [
    account(0, 'Ann Lee', 'ann@x.io', '42'),
    account(1, 'Bob Ray', 'bob@x.io', '42'),
    account(2, 'Cy Day', 'cy@x.io', '77'),
  ]
  const index = buildMarkerIndex(list, opts)

  test("a page with only the owner's markers yields no hit objects", () => {
    expect(index.scanUnitsFor(...units('Hi Ann Lee, ann@x.io'), 0)).toEqual({
      ownSeen: true,
      hits: [],
    })
    expect(index.scanUnitsFor(...units('nobody here'), 0)).toEqual({ ownSeen: false, hits: [] })
  })

  test("a marker the owner shares with others (uid 42) is the owner's", () => {
    expect(index.scanUnitsFor(...units('uid 42'), 0)).toEqual({ ownSeen: true, hits: [] })
  })

  test('a foreign marker brings every hit, the same as scanUnits', () => {
    const [a, n] = units('Ann Lee (42) sees Cy Day')
    const scan = index.scanUnitsFor(a, n, 0)
    expect(scan.ownSeen).toBe(true)
    expect(scan.hits).toEqual(index.scanUnits(a, n))
    expect(scan.hits.map((h) => h.account)).toEqual([0, 0, 1, 2])
  })
})
