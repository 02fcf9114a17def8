import { describe, expect, test } from 'vitest'
import {
  HASH_START,
  ID_WORD,
  NO_WORD,
  TEXT_WORD,
  foldAscii,
  hasBarePunctuation,
  hashEnd,
  hashStep,
  isOneWord,
  wordHashes,
  wordKind,
  wordTable,
} from './word-set.js'
import { run } from '../automaton/build-tables.js'

/** A word's hash as the token check makes it from ASCII bytes. */
function asciiHash(word: string): number {
  let h = HASH_START
  for (const c of Buffer.from(word)) {
    h = hashStep(h, foldAscii(c))
  }
  return hashEnd(h)
}

describe('word set', () => {
  test("splits a marker into its folded words, as a body's bytes hash them", () => {
    const out: number[] = []
    expect(wordHashes("Mary O'Brien-Smith, mary.smith+1@x.io", out)).toBe(true)
    expect(out).toEqual(
      ['mary', 'o', 'brien', 'smith', 'mary', 'smith', '1', 'x', 'io'].map(asciiHash)
    )
    // A surrogate pair or an emoji splits; combining marks and letters of any script join.
    const astral: number[] = []
    wordHashes('ab😀cd Zoë', astral)
    expect(astral.slice(0, 2)).toEqual([asciiHash('ab'), asciiHash('cd')])
    expect(astral).toHaveLength(3)
    expect(wordHashes('-_- ...', [])).toBe(false)
  })

  test('tells a name with punctuation that no word stands beside', () => {
    for (const name of ['-', 'a:-', '"+"', 'é-', 'x /']) {
      expect(hasBarePunctuation(name)).toBe(true)
    }
    for (const name of ['userId', 'user_id', 'data-user-id', '-a', 'a--b', 'users', 'a/-', '']) {
      expect(hasBarePunctuation(name)).toBe(false)
    }
  })

  test('tells one-word ids from the rest', () => {
    expect(isOneWord('104')).toBe(true)
    expect(isOneWord('u7f3a')).toBe(true)
    expect(isOneWord('ab-34')).toBe(false)
    expect(isOneWord('')).toBe(false)
  })

  test('answers each word with its kind, the stricter when a word is both', () => {
    const words = ['mary', 'smith', 'io']
    const ids = ['104', 'smith']
    const table = run(wordTable(words.map(asciiHash), ids.map(asciiHash)))
    expect(wordKind(table, asciiHash('MARY'))).toBe(TEXT_WORD)
    expect(wordKind(table, asciiHash('smith'))).toBe(TEXT_WORD)
    expect(wordKind(table, asciiHash('104'))).toBe(ID_WORD)
    expect(wordKind(table, asciiHash('105'))).toBe(NO_WORD)
    expect(wordKind(run(wordTable([], [])), asciiHash('mary'))).toBe(NO_WORD)
  })

  test('finds every word again, whatever its hash (the smallest ones too)', () => {
    // 32239693071 hashes to 0 (hashEnd makes it 1): an id of that value was once stored under
    // one key and looked up under another, so a token change to it was not refused.
    expect(asciiHash('32239693071')).toBe(1)
    const edge = [1, 2, 3, 0xfffffffe, 0xffffffff]
    for (const h of edge) {
      expect(wordKind(run(wordTable([], [h])), h)).toBe(ID_WORD)
      expect(wordKind(run(wordTable([h], [])), h)).toBe(TEXT_WORD)
      expect(wordKind(run(wordTable([h], [h])), h)).toBe(TEXT_WORD)
    }
  })

  test('holds thousands of words at half load, each found again', () => {
    const hashes = Array.from({ length: 5000 }, (_, i) => asciiHash(`w${i}`))
    const table = run(wordTable(hashes, []))
    expect(table.length).toBe(16384)
    expect(hashes.every((h) => wordKind(table, h) === TEXT_WORD)).toBe(true)
    const strangers = Array.from({ length: 5000 }, (_, i) => asciiHash(`x${i}`))
    // A stranger is taken for a word only when its slot bits collide: rarely.
    expect(strangers.filter((h) => wordKind(table, h) !== NO_WORD).length).toBeLessThan(10)
  })
})
