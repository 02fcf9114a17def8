// The seam between detection and the engine: the engine builds ResponseSamples, detection returns
// Findings. Scanning itself is @crosstalk/detect's; this is what a hunt adds around it.
import type {
  Allowlist,
  IdMarkerSpec,
  Identity,
  MarkerIndex as DetectIndex,
} from '@crosstalk/detect'

/** One row of the accounts CSV. `index` is the row position, `id` a human label (e.g. username). */
export interface Account {
  index: number
  id: string
  fields: Record<string, string>
}

export interface MarkerOptions {
  /** CSV columns whose values identify an account anywhere in the text (displayName, email...). */
  columns: string[]
  /**
   * Columns whose values identify an account only where the page says it is an id (a JSON field,
   * an attribute, a path segment): numeric or short ids. minLength does not apply to them.
   */
  ids?: IdMarkerSpec[]
  caseInsensitive: boolean
  /** Marker values shorter than this (after trimming) are ignored: too likely to match by chance. */
  minLength: number
}

/** An account as @crosstalk/detect indexes it: its id is the account's row index. */
export interface AccountIdentity extends Identity {
  readonly account: Account
}

export interface ResponseSample {
  vu: number
  /** Account index of the VU that made the request. */
  owner: number
  /** Scenario page name (or login step name). */
  page: string
  method: string
  url: string
  status: number
  headers: Record<string, string | string[] | undefined>
  /**
   * Header `name` (lower case), repeated values joined with ', '. When a sample has it, the
   * detector reads the few headers it needs through it and `headers` only for a finding's evidence.
   */
  header?(name: string): string | undefined
  /** The body: its bytes as received (read as UTF-8), or text. */
  body: string | Uint8Array
  /** Epoch ms when the response arrived. */
  time: number
  /** True when this page should show its owner's identity (finding b when it does not). */
  expectOwnMarker: boolean
  /** What on this response legitimately shows other users: matches inside it are ignored. */
  allowlist?: Allowlist | undefined
  /** Other VUs with a request in flight between this request's start and end. */
  concurrent: Array<{ vu: number; account: number }>
  /** Cookies set by this response (feeds the session-swap registry). */
  setCookies: Array<{ name: string; value: string }>
}

export type FindingKind =
  'foreign-identity' | 'own-identity-missing' | 'session-swap' | 'cacheable-personalised'

export interface FindingAccount {
  index: number
  id: string
}

export interface FindingForeign extends FindingAccount {
  column: string
  marker: string
}

export interface FindingConcurrent {
  vu: number
  account: string
  /** True when this VU's account is one of the foreign accounts in the finding. */
  likelySource: boolean
}

export interface Finding {
  kind: FindingKind
  severity: 'leak' | 'warning'
  /** ISO 8601 time of the response. */
  time: string
  vu: number
  owner: FindingAccount
  foreign: FindingForeign[]
  request: { method: string; url: string; status: number; page: string }
  /** Relevant response headers; cookie values are redacted. */
  headers: Record<string, string>
  /** Context around the first foreign match, from the normalised text (80 chars each side). */
  excerpt?: { before: string; match: string; after: string }
  concurrent: FindingConcurrent[]
  detail?: string
}

export interface MarkerAmbiguity {
  marker: string
  /** Labels `id (column)` of every account/column pair holding this marker. */
  accounts: string[]
}

/** The accounts' markers, built once per run by buildMarkerIndex(). */
export interface MarkerIndex {
  readonly options: MarkerOptions
  /** Number of distinct (marker, account, column) entries. */
  readonly size: number
  readonly ambiguities: MarkerAmbiguity[]
  /** The index scan() reads. */
  readonly markers: DetectIndex<AccountIdentity>
}

export interface Detector {
  /** Inspects one response; never throws on odd input, returns zero or more findings. */
  inspect(sample: ResponseSample): Finding[]
  /** Forget a VU's session cookies (call when a VU logs out or ends). */
  forgetVu(vu: number): void
  /**
   * Responses that should have shown their owner (expectOwnMarker, status below 500 and not 429)
   * and showed nobody: each counted, though own-identity-missing is reported once per VU and page.
   */
  readonly withoutOwner: number
}
