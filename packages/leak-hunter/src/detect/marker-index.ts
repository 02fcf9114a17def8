import { MarkersInvalidError } from '../errors.js'
import { Automaton } from './aho-corasick.js'
import type { AutomatonMatch } from './aho-corasick.js'
import { foldString } from './char-tables.js'
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

class AutomatonMarkerIndex implements MarkerIndex {
  readonly options: MarkerOptions
  readonly size: number
  readonly ambiguities: MarkerAmbiguity[]
  readonly automaton: Automaton
  private readonly display: string[]
  private readonly entryStart: Int32Array
  private readonly entryAccount: Int32Array
  private readonly entryColumn: Uint8Array

  constructor(options: MarkerOptions, groups: Map<string, Holders>, ids: Map<number, string>) {
    this.options = options
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
    let e = 0
    keys.forEach((key, k) => {
      const h = groups.get(key) as Holders
      this.display.push(h.display)
      this.entryStart[k] = e
      let shared = false
      for (let j = 0; j < h.entries.length; j += 2) {
        const account = h.entries[j] ?? 0
        shared ||= account !== h.entries[0]
        this.entryAccount[e] = account
        this.entryColumn[e] = h.entries[j + 1] ?? 0
        e++
      }
      if (shared) {
        const accounts: string[] = []
        for (let j = 0; j < h.entries.length; j += 2) {
          const column = options.columns[h.entries[j + 1] ?? 0] ?? ''
          accounts.push(`${ids.get(h.entries[j] ?? 0) ?? '?'} (${column})`)
        }
        this.ambiguities.push({ marker: h.display, accounts })
      }
    })
    this.entryStart[keys.length] = e
    this.automaton = new Automaton(keys, options.caseInsensitive)
  }

  scan(text: string): MarkerHit[] {
    return this.hits(this.automaton.scan(text))
  }

  scanUnits(units: Uint16Array, length: number): MarkerHit[] {
    return this.hits(this.automaton.scanUnits(units, length))
  }

  scanUnitsFor(units: Uint16Array, length: number, owner: number): OwnerScan {
    return this.ownerScan(this.automaton.scanUnits(units, length), owner)
  }

  ownerScan(matches: AutomatonMatch[], owner: number): OwnerScan {
    let ownSeen = false
    let foreignSeen = false
    for (const m of matches) {
      const held = this.heldBy(m.pattern, owner)
      ownSeen ||= held
      foreignSeen ||= !held
    }
    if (foreignSeen) {
      return { ownSeen, hits: this.hits(matches) }
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

  private hits(matches: AutomatonMatch[]): MarkerHit[] {
    const hits: MarkerHit[] = []
    for (const m of matches) {
      const marker = this.display[m.pattern] ?? ''
      const end = this.entryStart[m.pattern + 1] ?? 0
      for (let e = this.entryStart[m.pattern] ?? 0; e < end; e++) {
        hits.push({
          account: this.entryAccount[e] ?? 0,
          column: this.options.columns[this.entryColumn[e] ?? 0] ?? '',
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
 * NFC, invisible characters), trimmed, folded when case-insensitive, and dropped below minLength.
 * A value held by two accounts (in any columns) cannot tell them apart: it is listed in `ambiguities`.
 */
export function buildMarkerIndex(
  accounts: readonly Account[],
  options: MarkerOptions
): MarkerIndex {
  validate(accounts, options)
  const groups = new Map<string, Holders>()
  const ids = new Map<number, string>()
  for (const account of accounts) {
    ids.set(account.index, account.id)
    options.columns.forEach((column, c) => {
      const raw = account.fields[column]
      if (raw === undefined) {
        return
      }
      const marker = normalizeMarker(raw)
      if (marker.length < options.minLength) {
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
  return new AutomatonMarkerIndex({ ...options, columns: [...options.columns] }, groups, ids)
}

function validate(accounts: readonly Account[], options: MarkerOptions): void {
  const { columns, minLength } = options
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new MarkersInvalidError('markers.columns: name at least one accounts column')
  }
  if (columns.length > 255) {
    throw new MarkersInvalidError('markers.columns: at most 255 marker columns')
  }
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new MarkersInvalidError(`markers.minLength: must be an integer >= 1, got ${minLength}`)
  }
  if (new Set(columns).size !== columns.length) {
    throw new MarkersInvalidError('markers.columns: a column is listed twice')
  }
  for (const column of columns) {
    if (accounts.length > 0 && !accounts.some((a) => a.fields[column] !== undefined)) {
      throw new MarkersInvalidError(`markers.columns: no account has a column named "${column}"`)
    }
  }
}
