// @crosstalk/detect: which identities a response body shows, in one normalising, boundary-aware
// pass for every marker of every identity. Shared by leak-hunter (test runs) and guard (production).
export type {
  Identity,
  IdMarkerSpec,
  IndexOptions,
  ResolvedIndexOptions,
  MarkerAmbiguity,
  MarkerIndex,
  Match,
} from './types.js'
export { buildIndex, buildIndexInBackground } from './index/build-index.js'
export type { BackgroundOptions } from './index/build-index.js'
export { createLiveIndex } from './index/live-index.js'
export type { LiveIndex, LiveIndexOptions, LiveIndexStats } from './index/live-index.js'
export { scan } from './scan/scan.js'
export type { ScanOptions } from './scan/scan.js'
export { ScanResult } from './scan/scan-result.js'
export { ScanState, createScanState } from './scan/scan-state.js'
export { ScanCache, DEFAULT_SCAN_CACHE_BYTES } from './rescan/scan-cache.js'
export { Allowlist, allowlistRuleProblem } from './allowlist/allowlist.js'
export type { AllowlistRule, AllowlistOptions } from './allowlist/allowlist.js'
export { normalizeText, normalizeMarker, isBinaryContentType } from './pass/normalize.js'
export { foldString as foldCase } from './text/char-tables.js'
export { noiseReason, markerNoise } from './policy/marker-noise.js'
export type { MarkerNoise } from './policy/marker-noise.js'
export { sharedCacheRisks, CacheRiskMemo } from './policy/cache-risks.js'
export type { CacheHeaders } from './policy/cache-risks.js'
export * from './errors.js'
