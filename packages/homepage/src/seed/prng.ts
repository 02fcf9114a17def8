// A small seeded PRNG (sfc32), so `homepage seed --seed S` always writes the same accounts.

export interface Prng {
  next(): number
  int(maxExclusive: number): number
  pick<T>(list: readonly T[]): T
  string(length: number, alphabet: string): string
}

export function createPrng(seed: number): Prng {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = seed >>> 0
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 15; i++) {
    next()
  }
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive)
  return {
    next,
    int,
    pick<T>(list: readonly T[]): T {
      return list[int(list.length)] as T
    },
    string(length: number, alphabet: string): string {
      let out = ''
      for (let i = 0; i < length; i++) {
        out += alphabet[int(alphabet.length)] ?? ''
      }
      return out
    },
  }
}
