// What makes a raw automaton match count: word boundaries on both sides, and the longest of
// nested matches.
import type { AutomatonMatch } from './automaton.js'
import { isWordUnitAt } from '../text/char-tables.js'

/** Whether a letter, digit or combining mark (`words`) stands at `at`. */
export function touchesWord(
  units: Uint16Array,
  length: number,
  at: number,
  before: boolean,
  words: Uint8Array
): boolean {
  if (at < 0 || at >= length) {
    return false
  }
  const kind = words[units[at] as number] as number
  return kind === 2 ? isWordUnitAt(units, length, at, before) : kind === 1
}

/** Drops every match lying inside a longer one; identical spans cannot occur (patterns are distinct). */
export function longestOnly(matches: AutomatonMatch[]): AutomatonMatch[] {
  // Found in order of end: if none overlaps the one before, none is nested and they are sorted.
  let disjoint = true
  for (let i = 1; i < matches.length && disjoint; i++) {
    disjoint = (matches[i] as AutomatonMatch).start >= (matches[i - 1] as AutomatonMatch).end
  }
  if (disjoint) {
    return matches
  }
  matches.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: AutomatonMatch[] = []
  let maxEnd = -1
  for (const m of matches) {
    if (m.end <= maxEnd) {
      continue
    }
    kept.push(m)
    maxEnd = m.end
  }
  return kept
}
