import fc from 'fast-check'
import { expect, test } from 'vitest'
import { WHOLE_RUN, sliceMembers, sliceSize, subSlice } from './slice.js'

test('the parts of a slice, and the parts of its parts, hold every member exactly once', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 5 }),
      (n, shards, workers) => {
        const seen: number[] = []
        for (let s = 0; s < shards; s++) {
          const shard = subSlice(WHOLE_RUN, s, shards)
          let inShard = 0
          for (let w = 0; w < workers; w++) {
            const part = subSlice(shard, w, workers)
            const members = sliceMembers(n, part)
            expect(members).toHaveLength(sliceSize(n, part))
            inShard += members.length
            seen.push(...members)
          }
          expect(inShard).toBe(sliceSize(n, shard))
        }
        expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
      }
    )
  )
})

test('a slice with fewer members than its offset is empty', () => {
  expect(sliceSize(3, { offset: 3, stride: 4 })).toBe(0)
  expect(sliceMembers(3, { offset: 3, stride: 4 })).toEqual([])
})
