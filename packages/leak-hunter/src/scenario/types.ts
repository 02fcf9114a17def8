// The resolved scenario: every field validated and defaulted, accounts loaded, templates compiled.
import type { Allowlist } from '@crosstalk/detect'
import type { Account, MarkerOptions } from '../detect/types.js'
import type { Template } from './template.js'

export type ExtractRule =
  | { from: 'css'; selector: string; attribute: string | undefined }
  | { from: 'regex'; pattern: RegExp; group: number }
  | { from: 'json'; path: string }
  | { from: 'header'; name: string }
  | { from: 'cookie'; name: string }

export interface Extraction {
  name: string
  rule: ExtractRule
}

export type StepBody =
  | { kind: 'none' }
  | { kind: 'form'; fields: Array<{ name: string; value: Template }> }
  | { kind: 'json'; value: JsonTemplate }

/** A JSON body whose string leaves are templates; rendered leaf by leaf so values are JSON-escaped. */
export type JsonTemplate =
  | { t: 'string'; value: Template }
  | { t: 'literal'; value: number | boolean | null }
  | { t: 'array'; items: JsonTemplate[] }
  | { t: 'object'; entries: Array<[string, JsonTemplate]> }

export interface RequestStep {
  name: string
  method: string
  path: Template
  headers: Array<{ name: string; value: Template }>
  body: StepBody
  /** Accepted statuses; empty means any 2xx or 3xx. */
  expect: number[]
  extract: Extraction[]
}

export interface LoginStep extends RequestStep {
  /** The owner's marker must appear in this response for the login to count. */
  verify: boolean
  /** The scenario's allowlist and this step's own. */
  allowlist: Allowlist
}

export interface PageStep extends RequestStep {
  weight: number
  expectOwnMarker: boolean
  /** The scenario's allowlist and this page's own. */
  allowlist: Allowlist
}

export interface ThinkTime {
  minMs: number
  maxMs: number
}

export interface LoadOptions {
  vus: number
  durationMs: number | undefined
  /** Iterations per virtual user (closed model) or in total (open model). */
  iterations: number | undefined
  rampUpMs: number
  /** Open model: iterations started per second across all VUs. */
  arrivalRate: number | undefined
  seed: string
  shareConnections: boolean
  /** Size of the shared pool with shareConnections. */
  connections: number
  /** Total deadline of one request: connect, headers and the whole body. */
  timeoutMs: number
  /** Deadline of the whole login phase; VUs not logged in by then take no part. */
  loginTimeoutMs: number
  loginRetries: number
  maxBodyBytes: number
}

export interface Thresholds {
  latency: Array<{ percentile: number; maxMs: number }>
  errorRate: number | undefined
  /** Leaking responses tolerated before the verdict is `leak`; 0 unless set. */
  leaks: number
  /** Past either share the run checked too little to say clean: the verdict is `inconclusive`. */
  inconclusive: InconclusiveLimits
}

export interface InconclusiveLimits {
  /** Errors per attempted request. */
  errorRate: number
  /**
   * Answered responses that tell nothing about a leak, per response: body cut at maxBodyBytes,
   * binary type, or a page that should show its owner and showed nobody.
   */
  unchecked: number
}

/** Documented in the README: one request in ten failing, or one response in ten unread. */
export const INCONCLUSIVE_DEFAULTS: InconclusiveLimits = { errorRate: 0.1, unchecked: 0.1 }

export interface AccountsConfig {
  file: string | undefined
  idColumn: string
  credentials: string[]
  columns: string[]
}

export interface Scenario {
  target: URL
  accountsConfig: AccountsConfig
  accounts: Account[]
  markers: MarkerOptions
  login: LoginStep[]
  pages: PageStep[]
  order: 'weighted' | 'sequence'
  thinkTime: ThinkTime
  load: LoadOptions
  thresholds: Thresholds
  /** The scenario as given, with credential values out, for the report's `config`. */
  raw: Record<string, unknown>
}
