// A seeded PRNG (cyrb128 hash -> sfc32): the same seed gives the same assignment and order.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/** A generator for `seed`, optionally forked by a label (e.g. `vu:7`) so streams are independent. */
export function createRandom(seed: string, label = ''): Random {
  let [a, b, c, d] = cyrb128(`${seed}\u0000${label}`)
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  return { next, int: (n) => Math.floor(next() * n) }
}

/** Fisher-Yates shuffle of 0..n-1 driven by `random`. */
export function shuffledIndexes(n: number, random: Random): number[] {
  const out = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const tmp = out[i]!
    out[i] = out[j]!
    out[j] = tmp
  }
  return out
}

/** Pick an index by weight; weights must not all be zero. */
export function pickWeighted(weights: readonly number[], random: Random): number {
  let total = 0
  for (const w of weights) {
    total += w
  }
  let r = random.next() * total
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!
    if (r < 0) {
      return i
    }
  }
  // Rounding left r just above zero: the last page that can be picked at all.
  for (let i = weights.length - 1; i > 0; i--) {
    if (weights[i]! > 0) {
      return i
    }
  }
  return 0
}
