// The guard's detector: @crosstalk/detect's live index (a change is visible to the very next scan
// through its overlay; the base is rebuilt in the background and swapped atomically) and its one
// scan() per body, with one reusable scan state for the process (scan is synchronous).
import {
  Allowlist,
  allowlistRuleProblem,
  createLiveIndex,
  createScanState,
  DetectError,
  scan,
  ScanCache,
} from '@crosstalk/detect'
import type { Identity as DetectIdentity } from '@crosstalk/detect'
import { GuardOptionError } from '../errors.js'
import type { AllowlistRule, GuardConfig } from '../options.js'
import type { BodyScanner, ForeignMatch } from './body-scanner.js'

const NONE: readonly ForeignMatch[] = Object.freeze([])

/** What the detector needs of the guard's options (a scan thread gets these, cloned). */
export type DetectConfig = Pick<GuardConfig, 'markers' | 'allowlist' | 'scanCacheBytes'>

export function createDetectScanner(config: DetectConfig): BodyScanner {
  const { markers } = config
  checkRules(config.allowlist, 'allowlist')
  let live
  try {
    live = createLiveIndex<DetectIdentity>({
      columns: markers.text,
      ids: markers.ids.map((m) => ({
        column: m.field,
        json: m.json ?? [],
        attributes: m.attributes ?? [],
        pathSegments: m.pathSegments ?? [],
      })),
      caseInsensitive: markers.caseInsensitive,
      minLength: markers.minLength,
    })
  } catch (err) {
    throw err instanceof DetectError
      ? new GuardOptionError(`markers: ${err.message}`, { cause: err })
      : err
  }
  const index = live
  const state = createScanState()
  // A session's next page differs from its last one by a token and a timestamp: rescanning only
  // what changed costs a fraction of a full scan (docs/benchmarks.md). Keyed by owner and page.
  const cache =
    config.scanCacheBytes > 0 ? new ScanCache({ budgetBytes: config.scanCacheBytes }) : undefined
  const allowlist =
    config.allowlist.length === 0
      ? undefined
      : new Allowlist(config.allowlist, { caseInsensitive: markers.caseInsensitive })
  return {
    scan(body, contentType, owner, page, route) {
      const rules = route === undefined ? allowlist : (route as Allowlist)
      const result = scan(body, {
        index: index.current,
        state,
        ...(cache === undefined || owner === undefined || page === undefined
          ? {}
          : { cache: { in: cache, group: owner, page } }),
        ...(contentType === undefined ? {} : { contentType }),
        ...(owner === undefined ? {} : { owner }),
        ...(rules === undefined ? {} : { allowlist: rules }),
      })
      return {
        ownerSeen: result.ownerSeen,
        foreign:
          result.foreign.length === 0
            ? NONE
            : result.foreign.map((m) => ({ id: m.identity.id, field: m.column })),
      }
    },
    allowlist: (rules, where) => {
      checkRules(rules, where)
      const own = new Allowlist(rules, { caseInsensitive: markers.caseInsensitive })
      return allowlist === undefined ? own : allowlist.concat(own)
    },
    set: (identity) => index.set({ id: identity.id, markers: identity.fields }),
    delete: (id) => {
      index.delete(id)
      cache?.forget(id)
    },
    flush: () => index.settled(),
    stats: () => {
      const s = index.stats
      return {
        indexed: index.size,
        generation: s.rebuilds,
        pending: s.pending,
        lastRebuildMs: s.lastRebuildMs,
        layers: s.layers,
        bytes: s.byteLength,
        scanCacheBytes: cache?.heldBytes ?? 0,
        tokenChanges: cache?.tokenChanges ?? 0,
      }
    },
    close: () => void index.close(),
  }
}

function checkRules(rules: readonly AllowlistRule[], where: string): void {
  rules.forEach((rule, i) => {
    const problem = allowlistRuleProblem(rule)
    if (problem !== undefined) {
      throw new GuardOptionError(`${where}[${i}].${problem.field}: ${problem.problem}`)
    }
  })
}
