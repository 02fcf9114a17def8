// A live index answers as an index built from its identities at that moment would, while it
// rebuilds in the background (slices or a worker thread) and swaps; a snapshot keeps answering
// for the identities it was taken with.
import fc from 'fast-check'
import { afterEach, describe, expect, test } from 'vitest'
import { buildIndex } from '../src/index/build-index.js'
import { createLiveIndex } from '../src/index/live-index.js'
import type { LiveIndex } from '../src/index/live-index.js'
import { scan } from '../src/scan/scan.js'
import { ScanCache } from '../src/scan/../rescan/scan-cache.js'
import type { Identity, IndexOptions, MarkerIndex } from '../src/types.js'
import { makeIdentities } from './fixtures/identities.js'

const options: IndexOptions = {
  columns: ['name', 'email'],
  ids: [{ column: 'userId', json: ['userId'] }],
  minLength: 2,
}
const open: LiveIndex[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((live) => live.close()))
})
function live(o: Partial<Parameters<typeof createLiveIndex>[0]> = {}): LiveIndex {
  const index = createLiveIndex({ ...options, mode: 'slices', ...o })
  open.push(index)
  return index
}

/** `id:column:text` of every match, and the owner answers, of `body` against `index`. */
function answers(index: MarkerIndex, body: string, owner: string) {
  const r = scan(body, { index, owner })
  const text = r.text()
  const label = (m: { identity: Identity; column: string; start: number; end: number }) =>
    `${m.identity.id}:${m.column}:${text.slice(m.start, m.end)}`
  return {
    matches: r.matches.map(label).sort(),
    ownerSeen: r.ownerSeen,
    foreign: r.foreign.map(label).sort(),
  }
}

const ann: Identity = { id: 'ann', markers: { name: 'Ann Lee', email: 'ann@x.io', userId: '7' } }
const bob: Identity = { id: 'bob', markers: { name: 'Bob Ray', email: 'bob@x.io', userId: '8' } }

describe('a live index', () => {
  test('an identity set or removed is seen by the very next scan, before any rebuild', () => {
    const index = live({ mergeAfter: 1000, mergeAfterMs: 60_000 })
    index.set(ann)
    expect(answers(index.current, 'Hi Ann Lee', 'bob').foreign).toEqual(['ann:name:Ann Lee'])
    index.set(bob)
    expect(answers(index.current, 'Bob Ray {"userId":7}', 'bob')).toEqual({
      matches: ['ann:userId:7', 'bob:name:Bob Ray'],
      ownerSeen: true,
      foreign: ['ann:userId:7'],
    })
    expect(index.delete('ann')).toBe(true)
    expect(index.delete('ann')).toBe(false)
    expect(answers(index.current, 'Hi Ann Lee', 'bob').matches).toEqual([])
    expect(index.stats.rebuilds).toBe(0)
  })

  test('a replaced identity is found by its new markers only', () => {
    const index = live({ identities: [ann] })
    index.set({ id: 'ann', markers: { name: 'Ann Smith', email: 'ann@x.io' } })
    expect(answers(index.current, 'Ann Lee, Ann Smith', 'x').matches).toEqual([
      'ann:name:Ann Smith',
    ])
  })

  test('setting the same markers again changes nothing', () => {
    const index = live({ identities: [ann] })
    const before = index.current
    index.set({ ...ann, markers: { ...ann.markers } })
    expect(index.current).toBe(before)
  })

  test('a snapshot keeps answering for the identities it was taken with', async () => {
    const index = live({ identities: [ann], mergeAfter: 1 })
    const before = index.current
    index.delete('ann')
    index.set(bob)
    await index.settled()
    expect(index.stats.rebuilds).toBeGreaterThan(0)
    expect(answers(before, 'Ann Lee, Bob Ray', 'x').matches).toEqual(['ann:name:Ann Lee'])
    expect(answers(index.current, 'Ann Lee, Bob Ray', 'x').matches).toEqual(['bob:name:Bob Ray'])
  })

  test.each(['slices', 'worker'] as const)(
    'rebuilds in %s once enough has changed, and settles with nothing pending',
    async (mode) => {
      const list = makeIdentities(2000)
      const index = live({ mode, mergeAfter: 500, identities: list.slice(0, 1000) })
      for (const identity of list.slice(1000)) {
        index.set(identity)
        // Read per change, as a server reads per request.
        void index.current
      }
      await index.settled()
      expect(index.stats).toMatchObject({ pending: 0, dead: 0, failedRebuilds: 0 })
      expect(index.stats.rebuilds).toBeGreaterThan(0)
      const body = `${list[5]!.markers.name as string} ${list[1500]!.markers.email as string}`
      expect(answers(index.current, body, 'x')).toEqual(
        answers(buildIndex(list, options), body, 'x')
      )
    }
  )

  test.each(['slices', 'worker'] as const)(
    'a quiet index folds its few changes into the base after mergeAfterMs, without settled() (%s; guard request 10)',
    async (mode) => {
      const index = live({
        identities: makeIdentities(200),
        mergeAfter: 1000,
        mergeAfterMs: 20,
        mode,
      })
      for (const identity of makeIdentities(20, 7)) {
        index.set({ ...identity, id: `new-${identity.id}` })
      }
      expect(index.current.identities).toBe(220)
      expect(index.stats.layers).toBeGreaterThan(1)
      // Nothing else is called: the timer alone starts the rebuild, and the swap leaves one layer.
      const deadline = Date.now() + 10_000
      while (index.stats.rebuilds === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      expect(index.stats).toMatchObject({ rebuilds: 1, pending: 0, layers: 1, failedRebuilds: 0 })
      expect(index.current.identities).toBe(220)
    }
  )

  test('rebuilds after mergeAfterMs even when few changed', async () => {
    const index = live({ mergeAfter: 1000, mergeAfterMs: 10 })
    index.set(ann)
    await new Promise((resolve) => setTimeout(resolve, 200))
    await index.settled()
    expect(index.stats.rebuilds).toBe(1)
  })

  test('a scan cache does not reuse a page scanned under another base', async () => {
    const index = live({ identities: [ann], mergeAfter: 1 })
    const cache = new ScanCache()
    const page = (): string => `<p>${'lorem ipsum '.repeat(20)} Bob Ray</p>`
    const cached = () =>
      scan(page(), {
        index: index.current,
        owner: 'ann',
        cache: { in: cache, group: 1, page: 'home' },
      })
    cached()
    cached()
    index.set(bob)
    await index.settled()
    expect(cached().foreignIdentities.map((i) => i.id)).toEqual(['bob'])
  })

  test('refuses bad identities and options, and changes after close', async () => {
    const index = live()
    expect(() => index.set({ id: '', markers: {} })).toThrow(
      expect.objectContaining({ code: 'DETECT_ERR_IDENTITY_INVALID' })
    )
    expect(() => live({ mergeAfter: 0 })).toThrow(
      expect.objectContaining({ code: 'DETECT_ERR_OPTIONS_INVALID', field: 'mergeAfter' })
    )
    expect(() => live({ mode: 'threads' as never })).toThrow(
      expect.objectContaining({ code: 'DETECT_ERR_OPTIONS_INVALID', field: 'mode' })
    )
    await index.close()
    expect(() => index.set(ann)).toThrow(expect.objectContaining({ code: 'DETECT_ERR_CLOSED' }))
    await expect(index.settled()).rejects.toMatchObject({ code: 'DETECT_ERR_CLOSED' })
  })
})

describe('a live index equals a fresh build of its identities', () => {
  const people = ['Ann Lee', 'Ann Leeds', 'Lee Ann Lee', 'Bo', 'Zoë Ng', 'Bo Chen'].flatMap(
    (name) =>
      [0, 1].map((v): Identity => ({
        id: `${name}#${v}`.replace(/ /g, '_'),
        markers: {
          name: v === 0 ? name : `${name} Jr`,
          email: `${name.split(' ')[0]!.toLowerCase()}${v}@x.io`,
          userId: String(name.length + v),
        },
      }))
  )
  // Bodies that name everyone, with ids in and out of context: every change shows.
  const body =
    people
      .map((p) => `<li>${p.markers.name as string} (${p.markers.email as string})</li>`)
      .join('') +
    people
      .map((p) => `{"userId":${p.markers.userId as string}} ${p.markers.userId as string}`)
      .join(', ')
  // Two ids may share a value across the runs (base, big, small): ambiguity must match too.
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('set' as const),
      who: fc.nat({ max: people.length - 1 }),
      rename: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('delete' as const), who: fc.nat({ max: people.length - 1 }) }),
    fc.record({ kind: fc.constant('settle' as const) })
  )

  // A worker build spans many turns of the event loop, so changes land while it runs.
  test.each([
    ['slices', Number(process.env.FC_RUNS ?? 100)],
    ['worker', 15],
  ] as const)(
    'after any sequence of sets, deletes and background rebuilds (%s)',
    async (mode, numRuns) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(op, { maxLength: 40 }),
          fc.integer({ min: 1, max: 8 }),
          async (ops, mergeAfter) => {
            const index = createLiveIndex({ ...options, mode, mergeAfter, mergeAfterMs: 60_000 })
            const now = new Map<string, Identity>()
            try {
              for (const o of ops) {
                if (o.kind === 'settle') {
                  await index.settled()
                } else if (o.kind === 'delete') {
                  const id = people[o.who]!.id
                  expect(index.delete(id)).toBe(now.delete(id))
                } else {
                  const p = people[o.who]!
                  const identity = o.rename
                    ? { id: p.id, markers: { ...p.markers, name: `${p.markers.name as string} X` } }
                    : p
                  index.set(identity)
                  now.set(p.id, identity)
                }
                // Sometimes let a background rebuild run, so swaps land between changes.
                if (ops.indexOf(o) % 3 === 0) {
                  await new Promise((resolve) => setImmediate(resolve))
                }
                const fresh = buildIndex([...now.values()], options)
                const owner = people[0]!.id
                expect(answers(index.current, body, owner)).toEqual(answers(fresh, body, owner))
                expect(index.current.identities).toBe(now.size)
                expect(index.size).toBe(now.size)
                const ambiguous = (i: MarkerIndex): string[] =>
                  i.ambiguities
                    .map(
                      (a) =>
                        `${a.marker}:${a.holders
                          .map((h) => h.identity.id)
                          .sort()
                          .join()}`
                    )
                    .sort()
                expect(ambiguous(index.current)).toEqual(ambiguous(fresh))
              }
            } finally {
              await index.close()
            }
          }
        ),
        { numRuns }
      )
    }
  )
})
