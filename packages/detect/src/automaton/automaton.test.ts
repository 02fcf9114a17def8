import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Automaton } from './automaton.js'
import { buildTables, run } from './build-tables.js'
import { Candidates } from './candidates.js'

function automaton(patterns: string[], caseInsensitive = false): Automaton {
  return new Automaton(run(buildTables(patterns, caseInsensitive)))
}

function spans(a: Automaton, patterns: string[], text: string): string[] {
  return a.scan(text, new Candidates()).map((m) => `${patterns[m.pattern]}@${m.start}`)
}

/** What the matches must be: every occurrence with no word unit on either side, longest only. */
function plain(patterns: string[], text: string): string[] {
  const word = /[\p{L}\p{N}\p{M}]/u
  const all: Array<{ p: string; start: number; end: number }> = []
  for (const p of patterns) {
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) {
      const end = i + p.length
      if (!word.test(text[i - 1] ?? '') && !word.test(text[end] ?? '')) {
        all.push({ p, start: i, end })
      }
    }
  }
  return all
    .filter((m) => !all.some((o) => o !== m && o.start <= m.start && o.end >= m.end))
    .sort((x, y) => x.start - y.start)
    .map((m) => `${m.p}@${m.start}`)
}

describe('the automaton enters a match only where no word unit stands before it', () => {
  const patterns = ['Ann Lee', 'Lee', 'nn', 'Ann', 'b c']

  test('a suffix that starts after a separator stays reachable', () => {
    expect(spans(automaton(patterns), patterns, 'Lee Ann Lee')).toEqual(['Lee@0', 'Ann Lee@4'])
  })

  test('a suffix that starts inside a word is never reached', () => {
    const a = automaton(patterns)
    const found = new Candidates()
    a.scan('xAnn Lee ab c', found)
    // Only "Lee" can start here: after "xA" no marker may begin, and "b c" follows a letter.
    const raw: number[] = []
    for (let k = 0; k < found.count; k += 2) {
      raw.push(found.pairs[k] as number)
    }
    expect(raw.map((p) => patterns[p])).toEqual(['Lee'])
  })

  test('matches equal a plain search over random texts', () => {
    const alphabet = fc.constantFrom('a', 'b', 'n', 'A', 'L', 'e', ' ', '.', '-', '1')
    fc.assert(
      fc.property(
        fc.array(
          fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((c) => c.join('')),
          {
            minLength: 1,
            maxLength: 6,
          }
        ),
        fc.array(alphabet, { maxLength: 60 }).map((c) => c.join('')),
        (raw, text) => {
          const ps = [...new Set(raw.map((p) => p.trim()).filter((p) => p !== ''))]
          if (ps.length === 0) {
            return
          }
          const got = spans(automaton(ps), ps, text).sort()
          expect(got).toEqual(plain(ps, text).sort())
        }
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })
})
