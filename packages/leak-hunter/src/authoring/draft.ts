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

/** The load and thresholds every draft starts with: small, and failing only on leaks and errors. */
export const DEFAULT_LOAD = { vus: 2, duration: '30s', rampUp: '2s' }
export const DEFAULT_THRESHOLDS = { errorRate: 0.01, leaks: 0 }

/** Comments on the sections every draft has. */
export function sectionComments(): DraftComment[] {
  return [
    {
      path: ['target'],
      text: 'Only this origin is ever requested (--target overrides it). Hunt servers you own.',
    },
    { path: ['accounts'], text: 'Test accounts, one per virtual user: a CSV with a header row.' },
    {
      path: ['accounts', 'credentials'],
      text: 'secrets: never markers, redacted in reports',
      inline: true,
    },
    {
      path: ['markers'],
      text: "Columns whose values identify an account on a page (a name, an email, an id).\nA page that shows another account's marker is a leak.",
    },
    {
      path: ['login'],
      text: 'Run once per virtual user before the load; the cookie jar lives as long as the VU.',
    },
    {
      path: ['pages'],
      text: 'The load phase: every response is checked for its owner and for nobody else.\nAdd the pages that show personal data (profile, settings, API endpoints).',
    },
    { path: ['load', 'vus'], text: 'at most the number of rows in the accounts CSV', inline: true },
    {
      path: ['thresholds'],
      text: 'Exit 1 on a leak, 4 when a threshold is breached. Also latency: { p99: 500 } (ms).',
    },
  ]
}
