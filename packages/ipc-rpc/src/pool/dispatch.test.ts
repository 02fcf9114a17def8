import { describe, expect, test } from 'vitest'
import { pickLeastLoaded } from './dispatch.js'

const child = (inFlight: number, accepting = true): { inFlight: number; accepting: boolean } => ({
  inFlight,
  accepting,
})

describe('pickLeastLoaded', () => {
  test('picks the child with the fewest calls in flight', () => {
    const children = [child(3), child(1), child(2)]
    expect(pickLeastLoaded(children, 10)).toBe(children[1])
  })

  test('skips children that are not accepting or are full', () => {
    const children = [child(0, false), child(4), child(2)]
    expect(pickLeastLoaded(children, 4)).toBe(children[2])
    expect(pickLeastLoaded([child(4), child(0, false)], 4)).toBeUndefined()
    expect(pickLeastLoaded([], 4)).toBeUndefined()
  })

  test('ties rotate with the start index', () => {
    const children = [child(1), child(1), child(1)]
    expect(pickLeastLoaded(children, 10, 0)).toBe(children[0])
    expect(pickLeastLoaded(children, 10, 1)).toBe(children[1])
    expect(pickLeastLoaded(children, 10, 5)).toBe(children[2])
  })
})
