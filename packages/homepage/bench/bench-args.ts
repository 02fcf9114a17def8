// What the homepage's benches share: a numeric `--name N` option and the median of rounds.

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
