// One built index on the main thread: its automaton, who holds each pattern, and the id contexts.
// A snapshot (snapshot.ts) is one or two of these, with the slots removed since they were built.
import { Automaton } from '../automaton/automaton.js'
import { run } from '../automaton/build-tables.js'
import type { AutomatonMatch, MatchContext } from '../automaton/automaton.js'
import { normalizeMarker } from '../pass/normalize.js'
import type { TextView } from '../text/unit-buffer.js'
import type { Identity, Match, ResolvedIndexOptions } from '../types.js'
import { MIXED, TEXT } from './compile-index.js'
import type { IndexTables } from './compile-index.js'
import { IdContext, idMayStand } from './id-context.js'
import { markerColumns, valuesOf } from './options.js'
import { findSlot } from './slot-table.js'
import {
  EDGE,
  EDGE_WORD_UNITS,
  ID_EDGE,
  ID_WORD,
  NO_WORD,
  edgeHash,
  hasBarePunctuation,
  wordHashes,
  wordKind,
  wordTable,
} from './word-set.js'

/** wordAt(): no pattern has the word; some has it, but no match may hold it where it stands; one may. */
export const NOWHERE = 0
export const ELSEWHERE = 1
export const HERE = 2

export class CompiledIndex<T extends Identity> {
  readonly automaton: Automaton
  /** The identity of each slot. */
  readonly identities: readonly T[]
  readonly columnNames: readonly string[]
  readonly hasMixed: boolean
  /** Keeps an id pattern's match only where some holder's context holds (undefined: no ids). */
  readonly context: MatchContext | undefined
  private readonly entryStart: Int32Array
  private readonly entrySlot: Int32Array
  private readonly entryColumn: Uint8Array
  private readonly entryOrdinal: Int32Array
  private readonly kind: Uint8Array
  private readonly textColumns: number
  /** Id column `textColumns + j` counts where contexts[j] holds. */
  private readonly contexts: IdContext[]
  /** Display form of each pattern, made on first use (a match is rare; 300,000 strings are not). */
  private readonly display = new Map<number, string>()

  /** Each id's slot (slot-table.ts). */
  private readonly slots: Int32Array
  /** The hashes of the patterns' words, tagged (word-set.ts). */
  private readonly words: Uint16Array
  /** The patterns' words with the units around them (word-set.ts). */
  private readonly edges: Uint16Array
  /** Hashes of the words of the id contexts' names (`userId`, `data-user-id`, `users`). */
  private readonly contextWords: Uint16Array
  /**
   * Some pattern has no word, or some id context's name has punctuation with no word beside it
   * (hasBarePunctuation): any changed punctuation may touch a match or make a context.
   */
  readonly wordless: boolean
  /** 1 for each ASCII unit some pattern holds. */
  readonly ascii: Uint8Array
  readonly #idOf = (slot: number): string => (this.identities[slot] as T).id

  /** `identities[slot]` holds the values the tables were compiled from; `slots` finds each id's slot. */
  constructor(
    tables: IndexTables,
    slots: Int32Array,
    identities: readonly T[],
    options: ResolvedIndexOptions
  ) {
    this.automaton = new Automaton(tables.automaton)
    this.identities = identities
    this.slots = slots
    this.entryStart = tables.entryStart
    this.entrySlot = tables.entrySlot
    this.entryColumn = tables.entryColumn
    this.entryOrdinal = tables.entryOrdinal
    this.kind = tables.kind
    this.textColumns = options.columns.length
    this.contexts = options.ids.map((spec) => new IdContext(spec))
    this.words = tables.words
    this.edges = tables.edges
    this.ascii = tables.ascii
    const names: number[] = []
    let bare = false
    for (const spec of options.ids) {
      for (const name of [...spec.json, ...spec.attributes, ...spec.pathSegments]) {
        wordHashes(name, names)
        bare ||= hasBarePunctuation(name)
      }
    }
    this.wordless = tables.wordless || bare
    this.contextWords = run(wordTable(names, []))
    this.columnNames = markerColumns(options)
    this.hasMixed = this.kind.includes(MIXED)
    this.context =
      this.contexts.length === 0
        ? undefined
        : {
            needs: tables.needs,
            accepts: (m, text) => this.counts(m, text, -1),
          }
  }

  /** The slot of identity `id`, or -1. */
  slotOf(id: string): number {
    return findSlot(this.slots, id, this.#idOf)
  }

  get size(): number {
    return this.entrySlot.length
  }

  get byteLength(): number {
    return (
      this.automaton.byteLength +
      this.slots.byteLength +
      this.entryStart.byteLength +
      this.entrySlot.byteLength +
      this.entryColumn.byteLength +
      this.entryOrdinal.byteLength +
      this.kind.byteLength +
      this.wordBytes
    )
  }

  /** Bytes of the word tables (word-set.ts), part of byteLength. */
  get wordBytes(): number {
    return (
      this.words.byteLength +
      this.edges.byteLength +
      this.contextWords.byteLength +
      this.ascii.byteLength
    )
  }

  /**
   * Whether a match may hold a word of a text (its hash, word-set.ts; `units` long) that stands
   * between the units `before` and `after` (EDGE at the text's ends). A match holds a word whole,
   * and the units its pattern has around that word: NOWHERE when no pattern or context name has
   * the word; HERE for a context name's word (a context reads it), for a one-word id's value where
   * a context may hold an id (idMayStand), for a longer word of another pattern anywhere, and for
   * a short one (EDGE_WORD_UNITS) when some pattern has it between those units or at its own
   * start or end; else ELSEWHERE.
   */
  wordAt(hash: number, units: number, before: number, after: number): number {
    if (wordKind(this.contextWords, hash) !== NO_WORD) {
      return HERE
    }
    const kind = wordKind(this.words, hash)
    if (kind === NO_WORD) {
      return NOWHERE
    }
    if (kind === ID_WORD) {
      return idMayStand(before, after) ? HERE : ELSEWHERE
    }
    if (units > EDGE_WORD_UNITS) {
      return HERE
    }
    const e = this.edges
    const here =
      wordKind(e, edgeHash(hash, before, after)) !== NO_WORD ||
      wordKind(e, edgeHash(hash, EDGE, after)) !== NO_WORD ||
      wordKind(e, edgeHash(hash, before, EDGE)) !== NO_WORD ||
      wordKind(e, edgeHash(hash, EDGE, EDGE)) !== NO_WORD ||
      // The word of another pattern and an id's value too.
      (wordKind(e, edgeHash(hash, ID_EDGE, ID_EDGE)) !== NO_WORD && idMayStand(before, after))
    return here ? HERE : ELSEWHERE
  }

  /** Whether entry `e` counts for match `m`: always for text, in context for ids. */
  private entryCounts(e: number, m: AutomatonMatch, text: TextView): boolean {
    const column = this.entryColumn[e] as number
    return (
      column < this.textColumns ||
      (this.contexts[column - this.textColumns] as IdContext).holds(
        text.units,
        text.length,
        m.start,
        m.end
      )
    )
  }

  /**
   * Whether some entry of `pattern` counts at `m`: held by `slot` (-1: anyone), not removed
   * (`dead`), and in context when it is an id.
   */
  counts(m: AutomatonMatch, text: TextView, slot: number, dead?: Uint8Array): boolean {
    const last = this.entryStart[m.pattern + 1] as number
    const checkContext = this.kind[m.pattern] !== TEXT
    for (let e = this.entryStart[m.pattern] as number; e < last; e++) {
      const s = this.entrySlot[e] as number
      if (
        (slot < 0 || s === slot) &&
        (dead === undefined || dead[s] !== 1) &&
        (!checkContext || this.entryCounts(e, m, text))
      ) {
        return true
      }
    }
    return false
  }

  /**
   * Whether `slot` holds the marker of match `m`. Text and id-only patterns are decided by who
   * holds them (finish() checked the context); a mixed one entry by entry.
   */
  holds(m: AutomatonMatch, slot: number, text: TextView): boolean {
    if (this.hasMixed && this.kind[m.pattern] === MIXED) {
      return this.counts(m, text, slot)
    }
    const last = this.entryStart[m.pattern + 1] as number
    for (let e = this.entryStart[m.pattern] as number; e < last; e++) {
      if (this.entrySlot[e] === slot) {
        return true
      }
    }
    return false
  }

  /**
   * Appends a Match to `out` for every entry that counts at `m` (live, in context): several when
   * a value is shared.
   */
  collect(m: AutomatonMatch, text: TextView, dead: Uint8Array | undefined, out: Match<T>[]): void {
    const mixed = this.kind[m.pattern] === MIXED
    const marker = this.marker(m.pattern)
    const last = this.entryStart[m.pattern + 1] as number
    for (let e = this.entryStart[m.pattern] as number; e < last; e++) {
      const slot = this.entrySlot[e] as number
      if ((dead !== undefined && dead[slot] === 1) || (mixed && !this.entryCounts(e, m, text))) {
        continue
      }
      out.push({
        identity: this.identities[slot] as T,
        column: this.columnNames[this.entryColumn[e] as number] as string,
        marker,
        start: m.start,
        end: m.end,
      })
    }
  }

  /** The marker of `pattern` as indexed (normalised, not folded). */
  marker(pattern: number): string {
    let display = this.display.get(pattern)
    if (display === undefined) {
      // Read back from its first holder, which keeps no array of every value on this thread.
      const e = this.entryStart[pattern] as number
      const holder = this.identities[this.entrySlot[e] as number] as T
      const column = this.columnNames[this.entryColumn[e] as number] as string
      display = normalizeMarker(valuesOf(holder, column)[this.entryOrdinal[e] as number] as string)
      this.display.set(pattern, display)
    }
    return display
  }

  /** Every pattern with its holders (slot, column). */
  *patterns(): Generator<{ pattern: number; holders: Array<{ slot: number; column: string }> }> {
    for (let p = 0; p < this.kind.length; p++) {
      yield { pattern: p, holders: this.holdersOf(p) }
    }
  }

  /** Patterns held by more than one slot, with their holders (slot, column). */
  *shared(): Generator<{ pattern: number; holders: Array<{ slot: number; column: string }> }> {
    for (let p = 0; p < this.kind.length; p++) {
      const from = this.entryStart[p] as number
      const to = this.entryStart[p + 1] as number
      for (let e = from + 1; e < to; e++) {
        if (this.entrySlot[e] !== this.entrySlot[from]) {
          yield { pattern: p, holders: this.holdersOf(p) }
          break
        }
      }
    }
  }

  private holdersOf(pattern: number): Array<{ slot: number; column: string }> {
    const holders: Array<{ slot: number; column: string }> = []
    for (
      let e = this.entryStart[pattern] as number;
      e < (this.entryStart[pattern + 1] as number);
      e++
    ) {
      holders.push({
        slot: this.entrySlot[e] as number,
        column: this.columnNames[this.entryColumn[e] as number] as string,
      })
    }
    return holders
  }
}
