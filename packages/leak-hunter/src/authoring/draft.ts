// What `init` produces before it is written: a scenario in today's format, the comments that go
// with it, the accounts CSV header, and what was guessed. Every builder (starter, probe, HAR)
// returns one, and render-draft.ts turns it into YAML.

/** A key path into the scenario object, e.g. ['login', 1, 'extract', 'csrf']. */
export type DraftPath = ReadonlyArray<string | number>

export interface DraftComment {
  path: DraftPath
  text: string
  /** At the end of the line (`key: value # text`) instead of on the lines before it. */
  inline?: boolean
}

export interface InitNote {
  /** guessed: init inferred it and it may be wrong; check: the user must fill in or confirm it. */
  kind: 'guessed' | 'check'
  text: string
}

export interface ScenarioDraft {
  /** A scenario object the validator accepts as it is (given an accounts CSV with rows). */
  scenario: Record<string, unknown>
  /** Lines that open the file. */
  header: string[]
  comments: DraftComment[]
  /** Columns of the accounts CSV: credentials first, then the marker columns. */
  accountColumns: string[]
  notes: InitNote[]
}

export const DEFAULT_MARKERS = ['displayName', 'email']

/** Credential and marker columns, deduplicated in order. */
export function accountColumns(
  credentials: readonly string[],
  markers: readonly string[]
): string[] {
  return [...new Set([...credentials, ...markers])]
}
