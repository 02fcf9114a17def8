// From identities to an index's tables, in two steps that a background build can split: collect()
// reads the identities into flat arrays (it needs the caller's objects, so it runs where they
// are), compile() does the rest (normalising, grouping, the automaton) on those arrays alone, so
// that it can run in a worker (which keeps its own copy of the values: build-worker.ts). Both are
// generators that yield every few thousand units of work.
import { buildTables } from '../automaton/build-tables.js'
import type { AutomatonTables } from '../automaton/build-tables.js'
import { IdentityInvalidError } from '../errors.js'
import { MarkerScratch, normalizeMarker } from '../pass/normalize.js'
import { foldString } from '../text/char-tables.js'
import type { Identity, ResolvedIndexOptions } from '../types.js'
import { checkIdentity, markerColumns, valuesOf } from './options.js'
import { emptySlotTable, insertSlot } from './slot-table.js'
import { EDGE_WORD_UNITS, ID_EDGE, edgeHash, isOneWord, wordHashes, wordTable } from './word-set.js'

const WORK_PER_YIELD = 2048

/** How compile() treats values: all a worker needs besides them. */
export interface CompileOptions {
  textColumns: number
  caseInsensitive: boolean
  minLength: number
}

/** Identities as flat arrays: what compile() needs. */
export interface IndexInput extends CompileOptions {
  /** Raw marker values, each identity's in column order. */
  values: string[]
  /** The identity (slot) of each value. */
  slots: Int32Array
  /** The column of each value: free-text columns first, then id columns. */
  columns: Uint8Array
}

/** Pattern kinds: free text only, ids only, or a mix (entries checked one by one). */
export const TEXT = 0
export const ID = 1
export const MIXED = 2

/** An index's tables: typed arrays (and one flag) only, so that a worker can transfer them. */
export interface IndexTables {
  automaton: AutomatonTables
  /** Entries of pattern p are entryStart[p] .. entryStart[p + 1] - 1. */
  entryStart: Int32Array
  entrySlot: Int32Array
  entryColumn: Uint8Array
  /** Which of its holder's values in that column the entry came from (for the marker's display form). */
  entryOrdinal: Int32Array
  kind: Uint8Array
  /** 1 for patterns an id holds: their matches count only in context. */
  needs: Uint8Array
  /**
   * The hashes of the patterns' words (word-set.ts), each tagged: a one-word id's value (where it
   * counts, its contexts decide) or any other pattern's word.
   */
  words: Uint16Array
  /**
   * Each short word of a pattern with the units around it (edgeHash), and each short one-word
   * id's value with ID_EDGE on both sides: which units a match that holds the word holds around it.
   */
  edges: Uint16Array
  /** Some pattern has no word at all (punctuation only). */
  wordless: boolean
  /** 1 for each ASCII unit some pattern holds (a space, `@`, `.`, `-`...). */
  ascii: Uint8Array
}

/** What collect() reads from the identities: the input to compile, and each id's slot (slot-table.ts). */
export interface Collected {
  input: IndexInput
  slots: Int32Array
}

/** The values of each marker column of `identity`, in index order; throws on a bad one. */
export type ColumnValues = ReadonlyArray<readonly string[]>

/**
 * Checks `identities` and gives each its slot (its position), handing `each` its values; throws on
 * a bad identity or a repeated id.
 */
export function* readIdentities<T extends Identity>(
  identities: readonly T[],
  options: ResolvedIndexOptions,
  each: (slot: number, identity: T, values: ColumnValues) => void
): Generator<void, Int32Array> {
  const columns = markerColumns(options)
  const slots = emptySlotTable(identities.length)
  const idOf = (slot: number): string => (identities[slot] as T).id
  for (let slot = 0; slot < identities.length; slot++) {
    const identity = identities[slot] as T
    checkIdentity(identity)
    if (insertSlot(slots, identity.id, slot, idOf) >= 0) {
      throw new IdentityInvalidError(identity.id, 'the same id is given twice')
    }
    each(
      slot,
      identity,
      columns.map((column) => valuesOf(identity, column))
    )
    if (slot % WORK_PER_YIELD === 0) {
      yield
    }
  }
  return slots
}

export function compileOptions(options: ResolvedIndexOptions): CompileOptions {
  return {
    textColumns: options.columns.length,
    caseInsensitive: options.caseInsensitive,
    minLength: options.minLength,
  }
}

/** Reads `identities` (slot = position) into an IndexInput; throws on a bad identity or a repeated id. */
export function* collect<T extends Identity>(
  identities: readonly T[],
  options: ResolvedIndexOptions
): Generator<void, Collected> {
  const values: string[] = []
  const slotOfValue: number[] = []
  const cols: number[] = []
  const slots = yield* readIdentities(identities, options, (slot, _, byColumn) => {
    byColumn.forEach((list, c) => {
      for (const value of list) {
        values.push(value)
        slotOfValue.push(slot)
        cols.push(c)
      }
    })
  })
  const input: IndexInput = {
    values,
    slots: Int32Array.from(slotOfValue),
    columns: Uint8Array.from(cols),
    ...compileOptions(options),
  }
  return { input, slots }
}

/**
 * Normalises every value like bodies (whitespace, NFC, invisible characters), trims it, folds it
 * when case-insensitive, drops free text below minLength, groups equal values (one pattern each,
 * with every holder as an entry) and builds the automaton over the patterns.
 */
export function* compile(input: IndexInput): Generator<void, IndexTables> {
  const { values, slots, columns, textColumns } = input
  const scratch = new MarkerScratch()
  const groupOf = new Int32Array(values.length).fill(-1)
  const groups = new Map<string, number>()
  const keys: string[] = []
  for (let v = 0; v < values.length; v++) {
    const marker = normalizeMarker(values[v] as string, scratch)
    if (
      marker.length > 0 &&
      ((columns[v] as number) >= textColumns || marker.length >= input.minLength)
    ) {
      const key = input.caseInsensitive ? foldString(marker) : marker
      let g = groups.get(key)
      if (g === undefined) {
        g = keys.length
        groups.set(key, g)
        keys.push(key)
      }
      groupOf[v] = g
    }
    if (v % WORK_PER_YIELD === 0) {
      yield
    }
  }
  // Entries grouped by pattern (a counting sort), in input order within each.
  const entryStart = new Int32Array(keys.length + 1)
  let entries = 0
  for (let v = 0; v < values.length; v++) {
    const g = groupOf[v] as number
    if (g >= 0) {
      entryStart[g + 1]!++
      entries++
    }
  }
  for (let g = 0; g < keys.length; g++) {
    entryStart[g + 1]! += entryStart[g] as number
  }
  const next = entryStart.slice(0, keys.length)
  const entrySlot = new Int32Array(entries)
  const entryColumn = new Uint8Array(entries)
  const entryOrdinal = new Int32Array(entries)
  const kind = new Uint8Array(keys.length)
  let ordinal = 0
  for (let v = 0; v < values.length; v++) {
    ordinal = v > 0 && slots[v] === slots[v - 1] && columns[v] === columns[v - 1] ? ordinal + 1 : 0
    const g = groupOf[v] as number
    if (g < 0) {
      continue
    }
    const e = next[g]!++
    const column = columns[v] as number
    entrySlot[e] = slots[v] as number
    entryColumn[e] = column
    entryOrdinal[e] = ordinal
    const k = column < textColumns ? TEXT : ID
    if (e === entryStart[g]) {
      kind[g] = k
    } else if (kind[g] !== MIXED && (k === TEXT) !== (kind[g] === TEXT)) {
      kind[g] = MIXED
    } else if (k === ID && entryColumn[entryStart[g] as number] !== column) {
      // Ids of two columns: each holder's own context decides.
      kind[g] = MIXED
    }
  }
  groups.clear()
  const needs = kind.map((k) => (k === TEXT ? 0 : 1))
  const textWords: number[] = []
  const idWords: number[] = []
  const edgeWords: number[] = []
  let wordless = false
  const ascii = new Uint8Array(128)
  for (let g = 0; g < keys.length; g++) {
    const key = keys[g] as string
    if (kind[g] === ID && isOneWord(key)) {
      wordHashes(key, idWords)
      if (key.length <= EDGE_WORD_UNITS) {
        edgeWords.push(edgeHash(idWords[idWords.length - 1] as number, ID_EDGE, ID_EDGE))
      }
    } else {
      wordless = !wordHashes(key, textWords, edgeWords) || wordless
    }
    for (let i = 0; i < key.length; i++) {
      const u = key.charCodeAt(i)
      if (u < 128) {
        ascii[u] = 1
      }
    }
    if (g % WORK_PER_YIELD === 0) {
      yield
    }
  }
  const words = yield* wordTable(textWords, idWords)
  const edges = yield* wordTable(edgeWords, [])
  const automaton = yield* buildTables(keys, input.caseInsensitive)
  return {
    automaton,
    entryStart,
    entrySlot,
    entryColumn,
    entryOrdinal,
    kind,
    needs,
    words,
    edges,
    wordless,
    ascii,
  }
}

/** The typed arrays of `tables`, for a worker's transfer list. */
export function transferables(tables: IndexTables): ArrayBuffer[] {
  const a = tables.automaton
  return [
    a.patternLength,
    a.label,
    a.first,
    a.fail,
    a.outPattern,
    a.outLink,
    tables.entryStart,
    tables.entrySlot,
    tables.entryColumn,
    tables.entryOrdinal,
    tables.kind,
    tables.needs,
    tables.words,
    tables.edges,
    tables.ascii,
  ].map((array) => array.buffer as ArrayBuffer)
}
