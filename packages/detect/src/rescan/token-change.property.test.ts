import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { buildIndex } from '../index/build-index.js'
import { createLiveIndex } from '../index/live-index.js'
import { scan } from '../scan/scan.js'
import type { ScanOptions } from '../scan/scan.js'
import type { ScanResult } from '../scan/scan-result.js'
import { ScanState } from '../scan/scan-state.js'
import type { Identity, IndexOptions, Match, MarkerIndex } from '../types.js'
import { ScanCache } from './scan-cache.js'

// A body that differs from the kept one in a few bytes is answered with the kept result only when
// that is exactly what a full scan of it finds (token-change.ts). The bodies below put markers,
// id contexts, escapes, comments, tokens and non-ASCII text next to each other, and the changes
// (bytes of the same length) land anywhere: in words, markers, contexts, escapes and tokens.
const identities: Identity[] = [
  { id: 'u0', markers: { name: 'Ann Lee', email: 'ann.lee@x.io', uid: '12' } },
  { id: 'u1', markers: { name: 'Bo-Ng', email: 'bo_ng+1@x.io', uid: 'u7f' } },
  { id: 'u2', markers: { name: 'Zoë Ng', email: 'z@x.io', uid: 'ab-34' } },
  { id: 'u3', markers: { name: 'Lee', email: 'lee.12@x.io', uid: '5' } },
  // Punctuation between words: a change of it matters though no word of the run is a marker's.
  { id: 'u5', markers: { name: 'Kim (-) Day', email: 'kd@x.io' } },
  // Punctuation at a marker's end: it reaches into a token run that starts with punctuation.
  { id: 'u6', markers: { name: 'Jo (-', email: 'jo@x.io' } },
  // A one-letter word: tokens hold it often, but only with an apostrophe after it is it this one.
  { id: 'u7', markers: { name: "Siobhan O'Brien", email: 'o.b@x.io' } },
]
/** A marker with no word: any changed punctuation may touch its match. */
const wordless: Identity = { id: 'u4', markers: { name: '-_-', email: 'e@x.io' } }
const options: IndexOptions = {
  columns: ['name', 'email'],
  ids: [{ column: 'uid', json: ['userId'], attributes: ['data-uid'], pathSegments: ['users'] }],
  caseInsensitive: true,
  minLength: 2,
}

const special = fc.constantFrom(
  'Ann Lee',
  'ann lee',
  'Ann',
  'Lee',
  'Bo-Ng',
  'Bo_Ng',
  'Zoë Ng',
  'Zo&euml; Ng',
  'ann.lee@x.io',
  'bo_ng+1@x.io',
  'lee.12@x.io',
  'z@x.io',
  '--',
  '-_-',
  'Kim (-) Day',
  "O'Brien",
  "o'brien",
  'o.b@x.io',
  'o',
  'Jo (',
  '(',
  ')',
  '"userId":12',
  '"userId": "u7f"',
  '"userId":"ab-34"',
  '{"userId":5}',
  'data-uid="12"',
  'data-uid=u7f ',
  '/users/12/',
  '/users/5?',
  '"csrf":"',
  'xQ3v-9_aZ.k+/=',
  'Q7w2e9r0t1y',
  '12',
  '5',
  'u7f',
  '2026-12-03T15:18:41.119Z',
  ' ',
  '\n',
  '"',
  "'",
  ':',
  '=',
  '/',
  '-',
  '.',
  '&amp;',
  '&#65;',
  '&#x41;',
  '\\u0041',
  '\\n',
  '\\"',
  '<!-- -->',
  '<!---->',
  'Ann<!---->Lee',
  'Lee<!-- -->z@x.io',
  '<p>',
  '</p>',
  ';',
  '#',
  '>',
  'lorem ipsum',
  'x',
  '€',
  '\u200b',
  'e\u0301'
)
/** What most of a page is: tags, text and tokens that no marker is near. */
const filler = fc.constantFrom(
  '<div class="card">',
  '</div>',
  ' lorem ipsum dolor ',
  '<input value="Q7w2e9r0-t1y_Kz.q">',
  '<meta content="hL7ICAkWN72/FrnX+bS3dg==">',
  'served 2026-12-03 15:18 UTC',
  '\n  '
)
const piece = fc.oneof({ arbitrary: filler, weight: 3 }, { arbitrary: special, weight: 2 })
const body = fc.array(piece, { minLength: 1, maxLength: 60 }).map((p) => Buffer.from(p.join('')))
/** Bytes to put in place of ASCII ones: token bytes mostly, and the bytes that must be refused. */
const replacement = fc.constantFrom(
  ...'aZq09-_.+/=xLe2"\':; <>&\\#!'.split('').map((c) => c.charCodeAt(0))
)
/** Where a change lands: any byte, or (true, one in four) a punctuation byte, where most rules are. */
const aimed = fc.nat({ max: 3 }).map((n) => n === 0)
const changes = fc.array(fc.tuple(fc.nat(), replacement, aimed), {
  minLength: 1,
  maxLength: 4,
})
const owner = fc.constantFrom<string | undefined>(
  undefined,
  'u0',
  'u1',
  'u2',
  'u3',
  'u4',
  'u5',
  'u6',
  'u7'
)
/** A token's bytes: token bytes mostly, now and then one that must be refused. */
const roundByte = fc.oneof(
  {
    arbitrary: fc.constantFrom(...'aZq09xLe2-_.+/='.split('').map((c) => c.charCodeAt(0))),
    weight: 4,
  },
  { arbitrary: replacement, weight: 1 }
)

/** `base` with some of its ASCII bytes replaced (the length stays). */
function changed(base: Buffer, edits: Array<[number, number, boolean]>): Buffer {
  const out = Buffer.from(base)
  const punctuation = [...out.keys()].filter((i) =>
    /[^\w\s\x80-\xff]/.test(String.fromCharCode(out[i]!))
  )
  for (const [at, byte, aimed] of edits) {
    const i =
      aimed && punctuation.length > 0 ? punctuation[at % punctuation.length]! : at % out.length
    if ((out[i] as number) < 0x80) {
      out[i] = byte
    }
  }
  return out
}

function seen(result: ScanResult): unknown {
  return {
    matches: result.matches.map((m) => [m.identity.id, m.column, m.marker, m.start, m.end]),
    ownerSeen: result.ownerSeen,
    foreign: result.foreign.map((m) => [m.identity.id, m.start]),
    foreignIdentities: result.foreignIdentities.map((i) => i.id),
    text: result.text(),
  }
}

/**
 * Scans `first` twice through the cache (the first fetch notes the page, the second keeps its
 * scan), then each body of `next`, whose answers must be what a full scan finds. Returns, for each
 * of `next`, whether it stood for the kept one.
 */
function expectFullScans(opts: ScanOptions, first: Buffer, next: readonly Buffer[]): boolean[] {
  const cache = opts.cache!.in
  scan(first, opts)
  scan(first, opts)
  const stood = next.map((body) => {
    const before = cache.tokenChanges
    const got = seen(scan(body, opts))
    expect(got).toEqual(
      seen(scan(body, { index: opts.index, state: opts.state, owner: opts.owner }))
    )
    return cache.tokenChanges > before
  })
  cache.forget(opts.cache!.group)
  return stood
}

function check(index: () => MarkerIndex): void {
  const cache = new ScanCache()
  const state = new ScanState()
  let group = 0
  let reused = 0
  fc.assert(
    fc.property(
      body,
      fc.array(changes, { minLength: 1, maxLength: 3 }),
      owner,
      (first, chain, who) => {
        const opts = {
          index: index(),
          state,
          owner: who,
          cache: { in: cache, group: group++, page: '/' },
        }
        const next = chain.map((edits) => changed(first, edits))
        reused += expectFullScans(opts, first, next).filter(Boolean).length
      }
    ),
    { numRuns: Number(process.env.FC_RUNS ?? 1000) }
  )
  // Not vacuous: many of the changed bodies were answered from the kept result.
  expect(reused).toBeGreaterThan(Number(process.env.FC_RUNS ?? 1000) / 40)
}

/** A page with a token slot in several places (`\0` marks one), before or after anything. */
const template = fc
  .array(fc.oneof(piece, fc.constant('\0')), { minLength: 2, maxLength: 40 })
  .map((parts) => parts.join(''))
/**
 * Tokens of one length, each the first with a few of its bytes changed: what a change may keep
 * (a prefix, some punctuation) the next one may change.
 */
const tokens = fc.integer({ min: 1, max: 12 }).chain((length) =>
  fc
    .tuple(
      fc.array(roundByte, { minLength: length, maxLength: length }),
      fc.array(fc.array(fc.tuple(fc.nat({ max: length - 1 }), roundByte), { maxLength: 3 }), {
        minLength: 1,
        maxLength: 5,
      })
    )
    .map(([first, rounds]) => [
      first,
      ...rounds.map((edits) => {
        const t = [...first]
        for (const [at, byte] of edits) {
          t[at] = byte
        }
        return t
      }),
    ])
)

/** Every body of a page whose tokens change is what a full scan finds, however it was answered. */
function checkTokens(index: () => MarkerIndex): void {
  const cache = new ScanCache()
  const state = new ScanState()
  let group = 0
  let quick = 0
  fc.assert(
    fc.property(template, tokens, owner, (page, list, who) => {
      const opts = {
        index: index(),
        state,
        owner: who,
        cache: { in: cache, group: group++, page: '/' },
      }
      const bodies = list.map((t) =>
        Buffer.from(page.split('\0').join(Buffer.from(t).toString('latin1')), 'latin1')
      )
      const stood = expectFullScans(opts, bodies[0]!, bodies.slice(1))
      // After a body stood, the next is checked only where that one differed.
      quick += stood.filter((s, k) => s && stood.slice(0, k).some(Boolean)).length
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 1000) }
  )
  expect(quick).toBeGreaterThan(Number(process.env.FC_RUNS ?? 1000) / 20)
}

describe('token changes', () => {
  test('a body answered from the kept result is what a full scan finds (one built index)', () => {
    const built = buildIndex(identities, options)
    check(() => built)
  })

  test('a page whose tokens change, body after body (one built index)', () => {
    const built = buildIndex(identities, options)
    checkTokens(() => built)
  })

  test('the same with a marker that has no word', () => {
    const built = buildIndex([...identities, wordless], options)
    check(() => built)
  })

  test('the same with a live index (a base and an overlay, a removed identity)', async () => {
    const live = createLiveIndex({ ...options, identities: identities.slice(0, 2) })
    await live.settled()
    live.set(identities[2]!)
    live.set(identities[3]!)
    live.set(wordless)
    live.delete('u1')
    expect(live.stats.layers).toBe(2)
    check(() => live.current)
    await live.close()
  })

  test("a run checked alone holds only when the kept body's side of it held whatever", () => {
    // `Jo (-` matches `Jo (--gh)`: its dash reaches into the token run. `Jo (--ij)` stands for it
    // (the dashes unchanged); `Jo (k-ij)` must not, though it differs only inside that run.
    const index = buildIndex(identities, options)
    const cache = new ScanCache()
    const opts = { index, owner: 'u0', cache: { in: cache, group: 1, page: '/' } }
    const body = (token: string): string => `<p>Jo (${token}) and more</p>`
    scan(body('--gh'), opts)
    expect(scan(body('--gh'), opts).foreign.map((m) => m.identity.id)).toEqual(['u6'])
    scan(body('--ij'), opts)
    expect(cache.tokenChanges).toBe(1)
    expect(scan(body('k-ij'), opts).foreign).toEqual([])
    expect(cache.tokenChanges).toBe(1)
  })

  test("a kept result past the cache's budget is not kept: the next body is rescanned", () => {
    const index = buildIndex(identities, options)
    const page = (token: string): string => `<p>Ann Lee</p><input value="${token}"><p>end</p>`
    const fetches = (cache: ScanCache): string[] => {
      const opts = { index, owner: 'u0', cache: { in: cache, group: 1, page: '/' } }
      scan(page('aB3-dE6'), opts)
      scan(page('aB3-dE6'), opts)
      return scan(page('xY7_zW1'), opts).matches.map((m) => m.marker)
    }
    const roomy = new ScanCache()
    expect(fetches(roomy)).toEqual(['Ann Lee'])
    expect(roomy.tokenChanges).toBe(1)
    // One byte short of the kept result: the scan is kept, its result is not.
    const tight = new ScanCache({ budgetBytes: roomy.heldBytes - 1 })
    expect(fetches(tight)).toEqual(['Ann Lee'])
    expect(tight.tokenChanges).toBe(0)
    expect(tight.heldBytes).toBeLessThan(roomy.heldBytes)
    // The scan itself was kept: the same body again is not scanned at all.
    const scanned = tight.scannedBytes
    scan(page('xY7_zW1'), { index, owner: 'u0', cache: { in: tight, group: 1, page: '/' } })
    expect(tight.scannedBytes).toBe(scanned)
  })

  test('counts how often the kept result stood, and refuses what it must', () => {
    const cache = new ScanCache()
    const index = buildIndex(identities, options)
    let group = 0
    const reused = (a: string, b: string): boolean => {
      const opts = { index, owner: 'u0', cache: { in: cache, group: group++, page: '/' } }
      scan(a, opts)
      scan(a, opts)
      const before = cache.tokenChanges
      scan(b, opts)
      return cache.tokenChanges > before
    }
    const page = (token: string): string => `<p>Ann Lee</p><input value="${token}"><p>end</p>`
    expect(reused(page('aB3-dE6.gH9'), page('xY7_zW1+vU2'))).toBe(true)
    // A marker's word, an id after a context opener, an escape next to the run, a new length.
    expect(reused(page('aB3-lee-gH9'), page('aB3-xyz-gH9'))).toBe(false)
    expect(reused('"userId":"99"', '"userId":"12"')).toBe(false)
    expect(reused('a-9-b', 'a-5-b')).toBe(true)
    // 5 is u3's id: after `/` it may be a path segment's value, but not with `-` after it.
    expect(reused('a/9-b', 'a/5-b')).toBe(true)
    expect(reused('a/9/b', 'a/5/b')).toBe(false)
    // A word some marker has, between units no marker has it between: `bo` of `Bo-Ng` and of
    // bo_ng+1@x.io starts a marker before `-` or `_`, never before `+`.
    expect(reused('t.bo+xy.z', 't.bo+xq.z')).toBe(true)
    expect(reused('t.bo-xy.z', 't.bo-xq.z')).toBe(false)
    expect(reused('t.bo_xy.z', 't.bo_xq.z')).toBe(false)
    // The `o` of O'Brien next to token punctuation, and of o.b@x.io between dots.
    expect(reused('<i>k-o_3</i>', '<i>k-o_4</i>')).toBe(true)
    expect(reused('<i>k.o.3</i>', '<i>k.o.4</i>')).toBe(false)
    expect(reused('&#65;bc', '&#66;bc')).toBe(false)
    expect(reused('x\\u0041', 'x\\u0042')).toBe(false)
    expect(reused(page('aB3'), page('aB34'))).toBe(false)
    // The changed punctuation at a run's end: a pattern that holds the byte beyond may reach it.
    expect(reused('<p>cd- x</p>', '<p>cd_ x</p>')).toBe(false)
    expect(reused('<p>cd-</p>', '<p>cd_</p>')).toBe(true)
    expect(reused('Kim (-) Day', 'Kim (_) Day')).toBe(false)
    // An index with a wordless pattern refuses any changed punctuation.
    const strict = buildIndex([...identities, wordless], options)
    const opts = { index: strict, cache: { in: cache, group: group++, page: '/' } }
    scan(page('aB3-dE6'), opts)
    scan(page('aB3-dE6'), opts)
    const before = cache.tokenChanges
    scan(page('aB3_dE6'), opts)
    expect(cache.tokenChanges).toBe(before)
    // Against the body just scanned (and kept): only letters and digits changed.
    scan(page('xY3_dE6'), opts)
    expect(cache.tokenChanges).toBe(before + 1)
  })

  test('refuses a change that makes or unmakes an empty comment, which joins the words around it', () => {
    // `<!-- -->` and `<!---->` are not in the text: `Ann<!---->Lee` reads AnnLee, where u3's Lee
    // is no match. One of their dashes changed and the comment is gone: Lee is there.
    const index = buildIndex(identities, options)
    const cache = new ScanCache()
    let group = 0
    const stands = (a: string, b: string): boolean => {
      const opts = { index, owner: 'u0', cache: { in: cache, group: group++, page: '/' } }
      return expectFullScans(opts, Buffer.from(a), [Buffer.from(b)])[0]!
    }
    const pairs = [
      ['<p>Ann<!-- -->Lee</p>', '<p>Ann<!-- a->Lee</p>'],
      ['<p>Ann<!---->Lee</p>', '<p>Ann<!--a->Lee</p>'],
      ['<p>Ann<!---->Lee</p>', '<p>Ann<!-a-->Lee</p>'],
      // React's comment between two text nodes, the second an email.
      ['<b>id9<!-- -->z@x.io</b>', '<b>id9<!-- x->z@x.io</b>'],
    ]
    for (const [a, b] of pairs) {
      expect(stands(a!, b!)).toBe(false)
      expect(stands(b!, a!)).toBe(false)
    }
    // Tokens elsewhere on such a page still stand.
    expect(stands('<p>Ann<!---->Lee</p><i>aB3</i>', '<p>Ann<!---->Lee</p><i>xY7</i>')).toBe(true)
  })

  test('refuses a change of punctuation that an id context reads as its whole name', () => {
    // No word of the name `-` is in the run to refuse it: the index refuses changed punctuation.
    const bare = buildIndex(identities, {
      ...options,
      ids: [{ column: 'uid', json: ['-'], attributes: ['-'] }],
    })
    const cache = new ScanCache()
    let group = 0
    const stands = (a: string, b: string): boolean => {
      const opts = { index: bare, owner: 'u1', cache: { in: cache, group: group++, page: '/' } }
      return expectFullScans(opts, Buffer.from(a), [Buffer.from(b)])[0]!
    }
    expect(stands('{"_":12}', '{"-":12}')).toBe(false)
    expect(stands('{"-":12}', '{"_":12}')).toBe(false)
    expect(stands('<a _="12">', '<a -="12">')).toBe(false)
    expect(stands('<p>{"-":12,"t":"aB3"}</p>', '<p>{"-":12,"t":"xY7"}</p>')).toBe(true)
  })

  test('refuses a change to an id whose word hashes to the smallest key', () => {
    // FNV-1a of 32239693071 is 0 (hashEnd: 1); the word table once lost such an id.
    const index = buildIndex(
      [
        { id: 'me', markers: { name: 'Mary Smith', uid: '104' } },
        { id: 'victim', markers: { name: 'Ann Lee', uid: '32239693071' } },
      ],
      options
    )
    const opts = { index, owner: 'me', cache: { in: new ScanCache(), group: 1, page: '/' } }
    const page = (id: string): Buffer => Buffer.from(`{"viewer":"Mary Smith","userId":"${id}"}`)
    expect(expectFullScans(opts, page('10493693071'), [page('32239693071')])).toEqual([false])
  })

  test('a result and those that stand for it share frozen arrays: no caller changes what the next is told', () => {
    const index = buildIndex(identities, options)
    const opts = { index, owner: 'u1', cache: { in: new ScanCache(), group: 1, page: '/' } }
    const page = (token: string): string => `<p>Ann Lee</p><input value="${token}">`
    scan(page('aB3'), opts)
    const kept = scan(page('aB3'), opts)
    const next = scan(page('xY7'), opts)
    expect(next.foreign).toBe(kept.foreign)
    for (const list of [next.matches, next.foreign, next.foreignIdentities]) {
      expect(Object.isFrozen(list)).toBe(true)
    }
    expect(next.matches.every((m) => Object.isFrozen(m))).toBe(true)
    expect(() => {
      ;(next.foreign as Match[]).length = 0
    }).toThrow(TypeError)
    expect(scan(page('pQ5'), opts).foreignIdentities.map((i) => i.id)).toEqual(['u0'])
  })
})
