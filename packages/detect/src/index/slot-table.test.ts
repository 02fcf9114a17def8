import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { emptySlotTable, findSlot, insertSlot, slotTable } from './slot-table.js'

describe('a slot table', () => {
  test('finds the slot of every id it holds, and -1 for any other', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 300 }), fc.string(), (ids, other) => {
        const table = slotTable(ids)
        const idOf = (slot: number): string => ids[slot]!
        ids.forEach((id, slot) => expect(findSlot(table, id, idOf)).toBe(slot))
        expect(findSlot(table, other, idOf)).toBe(ids.indexOf(other))
      })
    )
  })

  test('is at most half full, so a probe always ends', () => {
    expect(emptySlotTable(0).length).toBe(8)
    expect(emptySlotTable(5).length).toBe(16)
    expect(slotTable(Array.from({ length: 1000 }, (_, i) => `u${i}`)).length).toBe(2048)
  })

  test('an id inserted twice gives back the slot that holds it', () => {
    const ids = ['a', 'b', 'a']
    const table = emptySlotTable(ids.length)
    const idOf = (slot: number): string => ids[slot]!
    expect(insertSlot(table, 'a', 0, idOf)).toBe(-1)
    expect(insertSlot(table, 'b', 1, idOf)).toBe(-1)
    expect(insertSlot(table, 'a', 2, idOf)).toBe(0)
  })
})
