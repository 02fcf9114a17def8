import { MarkersInvalidError } from '../errors.js'
import { Automaton } from './aho-corasick.js'
import type { AutomatonMatch, MatchContext } from './aho-corasick.js'
import { foldString } from './char-tables.js'
import { IdContext } from './id-context.js'
import { normalizeMarker } from './normalize.js'
import type {
  Account,
  MarkerAmbiguity,
  MarkerHit,
  MarkerIndex,
  MarkerOptions,
  OwnerScan,
} from './types.js'

const NOTHING: OwnerScan = Object.freeze({ ownSeen: false, hits: [] })
const OWN_ONLY: OwnerScan = Object.freeze({ ownSeen: true, hits: [] })

/** Holders of one distinct (normalised, folded) marker value. */
interface Holders {
  display: string
  /** Flat pairs: account index, column index. */
  entries: number[]
}

/** Pattern kinds: free text only, ids of one column only, or a mix (entries checked one by one). */
const TEXT = 0
const ID = 1
const MIXED = 2

class AutomatonMarkerIndex implements MarkerIndex {
  readonly options: MarkerOptions
  readonly size: number
  readonly ambiguities: MarkerAmbiguity[]
  readonly automaton: Automaton
  private readonly display: string[]
  private readonly entryStart: Int32Array
  private readonly entryAccount: Int32Array
  private readonly entryColumn: Uint8Array
  /** Text columns, then id columns: entryColumn indexes this. */
  private readonly columnNames: string[]
  /** Id column `textColumns + j` counts where contexts[j] holds. */
  private readonly contexts: IdContext[]
  private readonly textColumns: number
  private readonly kind: Uint8Array
  private readonly hasMixed: boolean

  constructor(options: MarkerOptions, groups: Map<string, Holders>, ids: Map<number, string>) {
    this.options = options
    this.contexts = (options.ids ?? []).map((spec) => new IdContext(spec))
    this.textColumns = options.columns.length
    this.columnNames = [...options.columns, ...this.contexts.map((c) => c.column)]
    const keys = [...groups.keys()]
    this.display = []
    this.entryStart = new Int32Array(keys.length + 1)
    let total = 0
    for (const h of groups.values()) {
      total += h.entries.length / 2
    }
    this.size = total
    this.entryAccount = new Int32Array(total)
    this.entryColumn = new Uint8Array(total)
    this.ambiguities = []
    this.kind = new Uint8Array(keys.length)
    let e = 0
    keys.forEach((key, k) => {
      const h = groups.get(key) as Holders
      this.display.push(h.display)
      this.entryStart[k] = e
      let shared = false
      const first = h.entries[1] ?? 0
      let kind = first < this.textColumns ? TEXT : ID
      for (let j = 0; j < h.entries.length; j += 2) {
        const account = h.entries[j] ?? 0
        shared ||= account !== h.entries[0]
        this.entryAccount[e] = account
        const column = h.entries[j + 1] ?? 0
        this.entryColumn[e] = column
        if (column !== first && (kind === ID || column >= this.textColumns)) {
          kind = MIXED
        }
        e++
      }
      this.kind[k] = kind
      if (shared) {
        const accounts: string[] = []
        for (let j = 0; j < h.entries.length; j += 2) {
          const column = this.columnNames[h.entries[j + 1] ?? 0] ?? ''
          accounts.push(`${ids.get(h.entries[j] ?? 0) ?? '?'} (${column})`)
        }
        this.ambiguities.push({ marker: h.display, accounts })
      }
    })
    this.entryStart[keys.length] = e
    this.hasMixed = this.kind.includes(MIXED)
    this.automaton = new Automaton(keys, options.caseInsensitive, this.matchContext())
  }

  /** The automaton keeps a match of an id value only where some holder's id context holds. */
  private matchContext(): MatchContext | undefined {
    if (this.contexts.length === 0) {
      return undefined
    }
    const needs = this.kind.map((k) => (k === TEXT ? 0 : 1))
    return {
      needs,
      accepts: (pattern, start, end, units, length) => {
        const last = this.entryStart[pattern + 1] as number
        for (let e = this.entryStart[pattern] as number; e < last; e++) {
          if (this.entryCounts(e, units, length, start, end)) {
            return true
          }
        }
        return false
      },
    }
  }

  /** Whether entry `e` counts for a match at [start, end): always for text, in context for ids. */
  private entryCounts(
    e: number,
    units: Uint16Array,
    length: number,
    start: number,
    end: number
  ): boolean {
    const column = this.entryColumn[e] as number
    return (
      column < this.textColumns ||
      (this.contexts[column - this.textColumns] as IdContext).holds(units, length, start, end)
    )
  }

  scan(text: string): MarkerHit[] {
    const matches = this.automaton.scan(text)
    if (matches.length === 0) {
      return []
    }
    const units = new Uint16Array(text.length)
    for (let i = 0; i < text.length; i++) {
      units[i] = text.charCodeAt(i)
    }
    return this.hitsOf(matches, units, units.length)
  }

  scanUnits(units: Uint16Array, length: number): MarkerHit[] {
    return this.hitsOf(this.automaton.scanUnits(units, length), units, length)
  }

  scanUnitsFor(units: Uint16Array, length: number, owner: number): OwnerScan {
    return this.ownerScan(this.automaton.scanUnits(units, length), owner, units, length)
  }

  ownerScan(
    matches: readonly AutomatonMatch[],
    owner: number,
    units: Uint16Array,
    length: number
  ): OwnerScan {
    let ownSeen = false
    let foreignSeen = false
    for (const m of matches) {
      // A mixed pattern's entries count one by one; any other's all count (finish() checked ids).
      const held =
        this.hasMixed && this.kind[m.pattern] === MIXED
          ? this.heldInContext(m, owner, units, length)
          : this.heldBy(m.pattern, owner)
      ownSeen ||= held
      foreignSeen ||= !held
    }
    if (foreignSeen) {
      return { ownSeen, hits: this.hitsOf(matches, units, length) }
    }
    return ownSeen ? OWN_ONLY : NOTHING
  }

  /** Whether `account` is among the holders of distinct marker `pattern` (usually one). */
  private heldBy(pattern: number, account: number): boolean {
    const end = this.entryStart[pattern + 1] as number
    for (let e = this.entryStart[pattern] as number; e < end; e++) {
      if (this.entryAccount[e] === account) {
        return true
      }
    }
    return false
  }

  /** heldBy() counting only the entries whose context holds at `m`. */
  private heldInContext(
    m: AutomatonMatch,
    account: number,
    units: Uint16Array,
    length: number
  ): boolean {
    const end = this.entryStart[m.pattern + 1] as number
    for (let e = this.entryStart[m.pattern] as number; e < end; e++) {
      if (this.entryAccount[e] === account && this.entryCounts(e, units, length, m.start, m.end)) {
        return true
      }
    }
    return false
  }

  hitsOf(matches: readonly AutomatonMatch[], units: Uint16Array, length: number): MarkerHit[] {
    const hits: MarkerHit[] = []
    for (const m of matches) {
      const marker = this.display[m.pattern] ?? ''
      const mixed = this.kind[m.pattern] === MIXED
      const end = this.entryStart[m.pattern + 1] ?? 0
      for (let e = this.entryStart[m.pattern] ?? 0; e < end; e++) {
        if (mixed && !this.entryCounts(e, units, length, m.start, m.end)) {
          continue
        }
        hits.push({
          account: this.entryAccount[e] ?? 0,
          column: this.columnNames[this.entryColumn[e] ?? 0] ?? '',
          marker,
          start: m.start,
          end: m.end,
        })
      }
    }
    return hits
  }
}

/**
 * Builds one automaton over every account's markers. Values are normalised like bodies (whitespace,
 * NFC, invisible characters), trimmed, folded when case-insensitive, and (free text only) dropped
 * below minLength. A value held by two accounts (in any columns) cannot tell them apart: it is
 * listed in `ambiguities`. Which free-text values are noise is the caller's policy
 * (marker-noise.ts; a scenario refuses them).
 */
export function buildMarkerIndex(
  accounts: readonly Account[],
  options: MarkerOptions
): MarkerIndex {
  validate(accounts, options)
  const groups = new Map<string, Holders>()
  const ids = new Map<number, string>()
  const columns = [...options.columns, ...(options.ids ?? []).map((spec) => spec.column)]
  for (const account of accounts) {
    ids.set(account.index, account.id)
    columns.forEach((column, c) => {
      const raw = account.fields[column]
      if (raw === undefined) {
        return
      }
      const marker = normalizeMarker(raw)
      if (
        marker.length === 0 ||
        (c < options.columns.length && marker.length < options.minLength)
      ) {
        return
      }
      const key = options.caseInsensitive ? foldString(marker) : marker
      const holders = groups.get(key)
      if (holders === undefined) {
        groups.set(key, { display: marker, entries: [account.index, c] })
      } else {
        holders.entries.push(account.index, c)
      }
    })
  }
  return new AutomatonMarkerIndex(
    { ...options, columns: [...options.columns], ids: [...(options.ids ?? [])] },
    groups,
    ids
  )
}

function validate(accounts: readonly Account[], options: MarkerOptions): void {
  const { columns, minLength } = options
  const idColumns = (options.ids ?? []).map((spec) => spec.column)
  if (!Array.isArray(columns) || columns.length + idColumns.length === 0) {
    throw new MarkersInvalidError('markers.columns: name at least one accounts column')
  }
  if (columns.length + idColumns.length > 255) {
    throw new MarkersInvalidError('markers: at most 255 marker columns')
  }
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new MarkersInvalidError(`markers.minLength: must be an integer >= 1, got ${minLength}`)
  }
  if (new Set([...columns, ...idColumns]).size !== columns.length + idColumns.length) {
    throw new MarkersInvalidError('markers: a column is listed twice (as free text or as an id)')
  }
  for (const spec of options.ids ?? []) {
    if (spec.json.length + spec.attributes.length + spec.pathSegments.length === 0) {
      throw new MarkersInvalidError(
        `markers.ids: "${spec.column}" names no json field, attribute or path segment`
      )
    }
  }
  for (const column of [...columns, ...idColumns]) {
    if (accounts.length > 0 && !accounts.some((a) => a.fields[column] !== undefined)) {
      throw new MarkersInvalidError(`markers.columns: no account has a column named "${column}"`)
    }
  }
}
