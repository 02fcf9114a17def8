// What the homepage's benches share: a numeric `--name N` option, the median of rounds and an
// interval for it.

/** The positive number after `--name` on the command line, else `fallback`. */
export function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  const value = at === -1 ? NaN : Number(process.argv[at + 1])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  if (sorted.length === 0) {
    return NaN
  }
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * A distribution-free interval for the median of `values` (order statistics, the binomial
 * distribution): the narrowest [x(j), x(n-j+1)] that covers the true median with probability at
 * least `level`, or the whole range when too few values reach it; `coverage` is what it reaches.
 */
export function medianInterval(
  values: readonly number[],
  level = 0.95
): { lo: number; hi: number; coverage: number } {
  const sorted = [...values].sort((x, y) => x - y)
  const n = sorted.length
  if (n === 0) {
    return { lo: NaN, hi: NaN, coverage: 0 }
  }
  // below[j] = P(B <= j) for B ~ Binomial(n, 1/2).
  const below: number[] = []
  let term = 0.5 ** n
  let sum = 0
  for (let j = 0; j < n; j++) {
    sum += term
    below.push(sum)
    term = (term * (n - j)) / (j + 1)
  }
  let j = 1
  while (j + 1 <= Math.ceil(n / 2) && 1 - 2 * below[j]! >= level) {
    j++
  }
  return { lo: sorted[j - 1]!, hi: sorted[n - j]!, coverage: 1 - 2 * below[j - 1]! }
}
