export interface Dispatchable {
  readonly inFlight: number
  readonly accepting: boolean
}

/**
 * Picks the least-loaded accepting child with a free slot. Ties rotate from `start` so equal
 * children share the load instead of the first one taking everything.
 */
export function pickLeastLoaded<C extends Dispatchable>(
  children: readonly C[],
  maxInFlight: number,
  start = 0
): C | undefined {
  let best: C | undefined
  const n = children.length
  for (let i = 0; i < n; i++) {
    const child = children[(start + i) % n]
    if (child === undefined || !child.accepting || child.inFlight >= maxInFlight) {
      continue
    }
    if (best === undefined || child.inFlight < best.inFlight) {
      best = child
      if (child.inFlight === 0) {
        break
      }
    }
  }
  return best
}
