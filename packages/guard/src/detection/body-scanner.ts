// The seam between the guard and the detector: the guard feeds identities in as the registry
// changes and asks, per body, whose markers it shows. Everything else in the guard (interception,
// registry, modes, diagnostics) knows only this interface.
import type { ResolvedIdentity } from '../identity/identity.js'
import type { AllowlistRule } from '../options.js'

export type Body = string | Uint8Array | readonly Uint8Array[]

export interface ForeignMatch {
  /** The other identity's id. */
  id: string
  /** Which of its fields matched (displayName, email, userId...): never the value. */
  field: string
}

export interface BodyScan {
  /** Some marker of the owner was seen outside allowlisted spans. */
  ownerSeen: boolean
  /** Markers of identities other than the owner, outside allowlisted spans (a marker the owner shares is the owner's). */
  foreign: readonly ForeignMatch[]
}

export interface ScannerStats {
  /** Identities in the index scans use now. */
  indexed: number
  /** Index swaps so far. */
  generation: number
  /** Identities set or deleted that no swapped index holds yet (covered by the scan all the same when the scanner says so). */
  pending: number
  /** Duration of the last rebuild, ms. */
  lastRebuildMs: number
  /** Indexes each scan walks: 1 once every change is folded into the rebuilt base. */
  layers: number
  /** Heap bytes of the index's tables (a rebuild holds two for a moment). */
  bytes: number
  /** Bytes the per-page scan cache holds (at most scanCacheBytes). */
  scanCacheBytes: number
  /** Bodies answered with the result of their page's last scan: they differed from it only in tokens. */
  tokenChanges: number
  /** With `threadBytes`: the scan thread's work (undefined without one). */
  thread?: ThreadStats
}

export interface ThreadStats {
  /** Whole bodies scanned on the thread. */
  scans: number
  /** Bodies the event loop scanned instead because the thread had stopped (or the guard closed). */
  fallbacks: number
  /** False once the thread has stopped: every body is then scanned on the event loop. */
  running: boolean
}

/** A route's allowlist rules joined to the guard's, compiled once by the scanner. */
export interface RouteAllowlist {
  readonly rules: readonly AllowlistRule[]
}

export interface BodyScanner {
  /**
   * `body` as sent: text, bytes (UTF-8), or its chunks in order (scanned as one body), for `owner`
   * (undefined: anonymous, every match is foreign). With `page` (a whole body, not a window),
   * the scanner may keep this scan so the owner's next body of that page is rescanned only where
   * it changed (the result is exactly a full scan's).
   */
  scan(
    body: Body,
    contentType: string | undefined,
    owner: string | undefined,
    page?: string,
    allowlist?: RouteAllowlist
  ): BodyScan
  /**
   * The scan of a whole body, as scan() gives it, made elsewhere (a worker thread) when the
   * scanner takes this body there; undefined when it does not (scan() it then). A body the
   * thread cannot scan is scanned here: the promise rejects only if that fails too.
   */
  offload?(
    body: Body,
    contentType: string | undefined,
    owner: string | undefined,
    page: string,
    allowlist?: RouteAllowlist
  ): Promise<BodyScan> | undefined
  /**
   * The guard's rules and `rules` compiled together, for scan(). Throws GuardOptionError naming
   * `where` and the bad rule.
   */
  allowlist(rules: readonly AllowlistRule[], where: string): RouteAllowlist
  set(identity: ResolvedIdentity): void
  delete(id: string): void
  /** Resolves once every set()/delete() so far is in the index scan() uses. */
  flush(): Promise<void>
  stats(): ScannerStats
  close(): void
}

/** Whether a body of this type is worth scanning (text: HTML, JSON, XML, plain text, scripts). */
export function isScannableType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') {
    return true
  }
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase()
  if (type === 'text/event-stream') {
    // An event stream never ends: it cannot be buffered, so it is not scanned (README).
    return false
  }
  return (
    type.startsWith('text/') ||
    type.endsWith('+json') ||
    type.endsWith('+xml') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/ld+json' ||
    type === 'application/x-ndjson'
  )
}
