import { expect, test } from 'vitest'
import type { Finding } from '../detect/types.js'
import { CrossInFlight } from './cross-in-flight.js'

const ids = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay']

function leak(vu: number, owner: number, foreign: number): Finding {
  return {
    kind: 'foreign-identity',
    severity: 'leak',
    time: new Date(0).toISOString(),
    vu,
    owner: { index: owner, id: ids[owner]! },
    foreign: [{ index: foreign, id: ids[foreign]!, column: 'name', marker: ids[foreign]! }],
    request: { method: 'GET', url: 'http://127.0.0.1/', status: 200, page: 'home' },
    headers: {},
    concurrent: [{ vu: 2, account: 'cy', likelySource: false }],
  }
}

const log = (intervals: number[], open: number[], watermark: number) => ({
  intervals: Float64Array.from(intervals),
  open: Float64Array.from(open),
  watermark,
})

test("a leak waits for the other workers' streams to pass its end, then lists their overlapping VUs", () => {
  const out: Finding[] = []
  const cross = new CrossInFlight(
    2,
    (i) => ids[i]!,
    (_, f) => out.push(f)
  )
  cross.finding(0, leak(0, 0, 1), 10, 20)
  // Worker 1 has not yet reported past t = 20: the finding waits.
  cross.log(1, log([1, 1, 5, 9], [], 15))
  expect(out).toEqual([])
  // vu 1 (bob) overlapped [10, 20] and is the likely source; vu 3 ran before, vu 5 after;
  // vu 7 (fay) is still in flight since t = 18.
  cross.log(1, log([1, 1, 12, 15, 3, 3, 1, 9.5, 5, 4, 21, 30], [7, 5, 18], 25))
  expect(out).toHaveLength(1)
  expect(out[0]!.concurrent).toEqual([
    { vu: 2, account: 'cy', likelySource: false },
    { vu: 1, account: 'bob', likelySource: true },
    { vu: 7, account: 'fay', likelySource: false },
  ])
})

test('a worker that is done (finished or lost) is not waited for; resolve(true) flushes all', () => {
  const out: Finding[] = []
  const cross = new CrossInFlight(
    3,
    (i) => ids[i]!,
    (_, f) => out.push(f)
  )
  cross.finding(0, leak(0, 0, 1), 10, 20)
  cross.log(1, log([], [], 30))
  expect(out).toEqual([])
  cross.done(2)
  expect(out).toHaveLength(1)
  cross.finding(1, leak(1, 1, 0), 40, 50)
  expect(cross.pending).toBe(1)
  cross.resolve(true)
  expect(cross.pending).toBe(0)
  expect(out).toHaveLength(2)
})
