// Each identity's slot in one index: an open-addressing hash table of slots in an Int32Array,
// keyed by a hash of the id and checked against the identity at that slot. Unlike a Map it is a
// worker's to build and transfer: a Map of 100,000 ids built on the main thread at every rebuild
// (its growth and its GC) was the longest part of the rebuild's share there (guard bench, 1 %
// churn at 100,000 identities: stretches of 16-20 ms).

/** FNV-1a over the UTF-16 units of `id`. */
function hashOf(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  }
  return h >>> 0
}

/** An empty table for `count` ids: a power of two at least twice as large, every cell -1. */
export function emptySlotTable(count: number): Int32Array {
  let size = 8
  while (size < count * 2) {
    size *= 2
  }
  return new Int32Array(size).fill(-1)
}

/**
 * Puts `slot` into `table` under `id`; returns the slot already there under the same id instead
 * (`idOf` names the id of a slot), or -1 once it is in.
 */
export function insertSlot(
  table: Int32Array,
  id: string,
  slot: number,
  idOf: (slot: number) => string
): number {
  const mask = table.length - 1
  for (let at = hashOf(id) & mask; ; at = (at + 1) & mask) {
    const held = table[at] as number
    if (held < 0) {
      table[at] = slot
      return -1
    }
    if (idOf(held) === id) {
      return held
    }
  }
}

/** A table of distinct ids, slot = position. */
export function slotTable(ids: readonly string[]): Int32Array {
  const table = emptySlotTable(ids.length)
  const idOf = (slot: number): string => ids[slot] as string
  for (let slot = 0; slot < ids.length; slot++) {
    insertSlot(table, ids[slot] as string, slot, idOf)
  }
  return table
}

/** The slot of `id` in `table`, or -1. */
export function findSlot(table: Int32Array, id: string, idOf: (slot: number) => string): number {
  const mask = table.length - 1
  for (let at = hashOf(id) & mask; ; at = (at + 1) & mask) {
    const held = table[at] as number
    if (held < 0 || idOf(held) === id) {
      return held
    }
  }
}
