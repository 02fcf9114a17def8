// The one way in: scan(body, options) normalises a body and finds every identity's markers in it,
// through the fused pass (or the rescan of what changed), the layers of the index and the
// allowlist.
import type { Allowlist } from '../allowlist/allowlist.js'
import { OptionsInvalidError } from '../errors.js'
import { snapshotOf } from '../index/snapshot.js'
import { isBinaryContentType } from '../pass/normalize.js'
import { normalizeInto } from '../pass/normalize-pass.js'
import { ScanCache } from '../rescan/scan-cache.js'
import type { PageScan } from '../rescan/page-scan.js'
import type { UnitBuffer } from '../text/unit-buffer.js'
import type { Candidates } from '../automaton/candidates.js'
import type { Identity, MarkerIndex } from '../types.js'
import { layerMatches } from './layer-matches.js'
import { ScanResult } from './scan-result.js'
import { ScanState } from './scan-state.js'

export interface ScanOptions<T extends Identity = Identity> {
  /** A snapshot: from buildIndex(), or a LiveIndex's `current`. */
  index: MarkerIndex<T>
  /**
   * The response's Content-Type. Binary types (image/* but SVG, audio, video, font, pdf, zip,
   * octet-stream) hold no text and yield no match; any other is decoded as HTML and JSON alike.
   */
  contentType?: string | undefined
  /** What legitimately names others here: a match wholly inside its spans counts for nobody. */
  allowlist?: Allowlist | undefined
  /** The id of the identity the response is for: drives `ownerSeen` and `foreign`. */
  owner?: string | undefined
  /** Reused buffers (createScanState()); one per thread is enough. */
  state?: ScanState | undefined
  /** Rescan only what changed since this (group, page)'s last body. */
  cache?: { in: ScanCache; group: string | number; page: string } | undefined
}

/**
 * Normalises `body` (HTML character references, JSON escapes, React's empty comments, invisible
 * characters, whitespace runs, typographic quotes and dashes, NFC) and finds the markers of every
 * identity of the index in one pass. `body` is bytes (read as UTF-8), a string, or a streamed
 * body's chunks in order (scanned as one body). Synchronous; never throws on odd bodies, throws
 * DetectError on bad options.
 */
export function scan<T extends Identity>(
  body: string | Uint8Array | readonly Uint8Array[],
  options: ScanOptions<T>
): ScanResult<T> {
  const snapshot = snapshotOf(options.index)
  const state = options.state ?? new ScanState()
  const { cache, allowlist, owner, contentType } = options
  if (cache !== undefined && !(cache.in instanceof ScanCache)) {
    throw new OptionsInvalidError('cache.in', 'expected a ScanCache')
  }
  state.generation++
  if (contentType !== undefined && isBinaryContentType(contentType)) {
    return new ScanResult({ state, owner })
  }
  const bytes = state.bytesOf(body)
  const automaton = snapshot.layers[0]!.index.automaton
  let text: UnitBuffer
  let found: Candidates
  let page: PageScan | undefined
  if (cache !== undefined) {
    const kept =
      allowlist === undefined
        ? cache.in.unchanged(cache.group, cache.page, bytes, snapshot, owner)
        : undefined
    if (kept !== undefined) {
      return new ScanResult({ state, owner, same: kept, body: bytes })
    }
    page = cache.in.scan(cache.group, cache.page, bytes, automaton)
    text = page.text
    found = page.found
  } else {
    text = state.text
    found = state.pass.found
    if (!normalizeInto(bytes, text, state.pass, { decode: true, automaton })) {
      // NFC rewrote the text after the fused pass: scan what it became.
      automaton.pass(text, found)
    }
  }
  let matches = layerMatches(snapshot, text, found, state.overlayFound)
  if (allowlist !== undefined && matches.length > 0) {
    matches = allowlist.filter(matches, bytes, text, state.allowlist) as typeof matches
  }
  const result = new ScanResult({ state, owner, snapshot, found: matches, text, cache: cache?.in })
  if (cache !== undefined && page !== undefined && allowlist === undefined) {
    // Kept for the group's next body of the page, should it differ only in tokens.
    cache.in.keep(cache.group, cache.page, page, {
      snapshot,
      owner,
      result,
      tokens: { clean: [], runs: undefined },
    })
  }
  return result
}
