// A deterministic share of one run: the VUs (and their accounts) and the arrivals of the open
// model whose global index is `offset` modulo `stride`. Shards and workers are slices; a worker of
// a shard is a slice of a slice, so every VU and every arrival belongs to exactly one part.

export interface Slice {
  offset: number
  stride: number
}

/** The whole run. */
export const WHOLE_RUN: Slice = { offset: 0, stride: 1 }

/** Part `index` (0-based) of `count` equal parts of `slice`. */
export function subSlice(slice: Slice, index: number, count: number): Slice {
  return { offset: slice.offset + index * slice.stride, stride: slice.stride * count }
}

/** The global indexes in [0, n) that belong to `slice`, ascending. */
export function sliceMembers(n: number, slice: Slice): number[] {
  const out: number[] = []
  for (let i = slice.offset; i < n; i += slice.stride) {
    out.push(i)
  }
  return out
}

/** How many of [0, n) belong to `slice`. */
export function sliceSize(n: number, slice: Slice): number {
  return slice.offset >= n ? 0 : Math.floor((n - 1 - slice.offset) / slice.stride) + 1
}

export function isWholeRun(slice: Slice): boolean {
  return slice.offset === 0 && slice.stride === 1
}
