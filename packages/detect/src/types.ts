// The package's public data types: identities, options, matches.

/** Someone whose data may appear in a response. */
export interface Identity {
  /** Unique within an index (a user id, a username). `owner` and matches refer to it. */
  readonly id: string
  /**
   * Marker values by column: `{ displayName: 'Mary Smith', email: 'mary@x.io', userId: '104' }`.
   * The index's `columns` and `ids` say which columns count and how; other keys are ignored. A
   * column may hold several values. Missing and empty values are skipped.
   */
  readonly markers: Readonly<Record<string, string | readonly string[] | undefined>>
}

/** Where a column's values count as ids: values that are noise anywhere else (numbers, short codes). */
export interface IdMarkerSpec {
  column: string
  /** JSON member names whose whole value is the id: `"userId": 104` or `"userId": "104"`. */
  json?: readonly string[]
  /** HTML attribute names (any case) whose whole value is the id: `data-user-id="104"`. */
  attributes?: readonly string[]
  /** Path segments the id follows: `users` for `/users/104`, `/users/104/`, `/users/104?x`. */
  pathSegments?: readonly string[]
}

export interface IndexOptions {
  /** Columns whose values identify an identity anywhere in the text (displayName, email...). */
  columns: readonly string[]
  /** Columns whose values count only where the page says they are an id; minLength does not apply. */
  ids?: readonly IdMarkerSpec[]
  /** Default false. Folding is per UTF-16 unit, so offsets never move. */
  caseInsensitive?: boolean
  /** Free-text values shorter than this (after normalising) are dropped. Default 3. */
  minLength?: number
}

/** IndexOptions with every default filled in. */
export interface ResolvedIndexOptions {
  readonly columns: readonly string[]
  readonly ids: readonly Required<IdMarkerSpec>[]
  readonly caseInsensitive: boolean
  readonly minLength: number
}

/** A value held by several identities: it cannot tell them apart. */
export interface MarkerAmbiguity<T extends Identity = Identity> {
  marker: string
  holders: Array<{ identity: T; column: string }>
}

/**
 * One occurrence of a marker in the normalised text (offsets in UTF-16 units, end exclusive).
 * Frozen, as are a scan result's arrays.
 */
export interface Match<T extends Identity = Identity> {
  readonly identity: T
  readonly column: string
  /** The marker as indexed: normalised, not folded. */
  readonly marker: string
  readonly start: number
  readonly end: number
}

/**
 * An immutable snapshot of identities and their markers: a scan that holds it keeps it, whatever
 * is rebuilt or swapped meanwhile.
 */
export interface MarkerIndex<T extends Identity = Identity> {
  readonly options: ResolvedIndexOptions
  /** Identities in the snapshot. */
  readonly identities: number
  /** Distinct (value, identity, column) entries. */
  readonly size: number
  /** Values several identities hold (computed on first use). */
  readonly ambiguities: readonly MarkerAmbiguity<T>[]
  /** Heap bytes of its tables. */
  readonly byteLength: number
  has(id: string): boolean
  get(id: string): T | undefined
}
