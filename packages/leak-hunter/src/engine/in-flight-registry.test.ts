import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { InFlightRegistry } from './in-flight-registry.js'

describe('InFlightRegistry', () => {
  test('lists peers in flight at start, peers that started later, and peers that came and went', () => {
    const r = new InFlightRegistry()
    r.begin(1, 11) // in flight before and after
    r.begin(2, 22)
    r.end(2, 22) // finished before vu 0 started: not concurrent
    const t = r.begin(0, 10)
    r.begin(3, 33)
    r.end(3, 33) // came and went during vu 0's request
    r.begin(4, 44) // still in flight
    const c = r.concurrentSince(0, t)
    expect(c.map((x) => x.vu).sort()).toEqual([1, 3, 4])
    expect(c.find((x) => x.vu === 3)?.account).toBe(33)
  })

  // Model: each VU does one request at a time; an interval overlap check is the reference.
  test('matches a brute-force interval overlap model', () => {
    const op = fc.record({
      vu: fc.integer({ min: 0, max: 5 }),
      kind: fc.constantFrom('begin', 'end', 'query'),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const r = new InFlightRegistry()
        const open = new Map<number, { ticket: number; step: number }>()
        const intervals: Array<{ vu: number; from: number; to: number }> = []
        ops.forEach(({ vu, kind }, step) => {
          const mine = open.get(vu)
          if (kind === 'begin' && mine === undefined) {
            open.set(vu, { ticket: r.begin(vu, vu * 10), step })
          } else if (kind === 'end' && mine !== undefined) {
            open.delete(vu)
            intervals.push({ vu, from: mine.step, to: step })
            r.end(vu, vu * 10)
          } else if (kind === 'query' && mine !== undefined) {
            const expected = new Set<number>()
            for (const [other, o] of open) {
              if (other !== vu) {
                expected.add(other)
              }
              void o
            }
            for (const iv of intervals) {
              if (iv.vu !== vu && iv.to > mine.step) {
                expected.add(iv.vu)
              }
            }
            const got = r.concurrentSince(vu, mine.ticket)
            expect(new Set(got.map((c) => c.vu))).toEqual(expected)
            expect(got.every((c) => c.account === c.vu * 10)).toBe(true)
          }
        })
      })
    )
  })
})
