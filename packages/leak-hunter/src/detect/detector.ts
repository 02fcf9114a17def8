// leak-hunter's detector: @crosstalk/detect scans each response; this turns what it found into
// findings with a hunt's evidence (the VU, who else was in flight, the session-swap registry).
import {
  CacheRiskMemo,
  DEFAULT_SCAN_CACHE_BYTES,
  ScanCache,
  ScanState,
  scan,
} from '@crosstalk/detect'
import type { Allowlist, Match, ScanOptions, ScanResult } from '@crosstalk/detect'
import { CONTEXT_CHARS, excerptAround } from './excerpt.js'
import { headerValue, relevantHeaders } from './response-headers.js'
import { SessionRegistry } from './session-registry.js'
import type {
  Account,
  AccountIdentity,
  Detector,
  Finding,
  FindingForeign,
  MarkerIndex,
  ResponseSample,
} from './types.js'

export interface DetectorOptions {
  /** Foreign accounts listed per finding; a marker shared by thousands would otherwise flood it. */
  maxForeignPerFinding?: number
  /**
   * Report each warning once: cacheable-personalised once per (method, page, reasons), and
   * own-identity-missing once per (VU, page) until that VU sees its identity on that page again.
   */
  dedupeWarnings?: boolean
  /**
   * Memory for each VU's last scan of each page, so that its next body is rescanned only where it
   * changed (rescan.ts); 0 scans every body in full. Default DEFAULT_SCAN_CACHE_BYTES.
   */
  scanCacheBytes?: number
  /** Characters of context around the first foreign match in an excerpt; default 80. */
  excerptChars?: number
}

const NO_FINDINGS = Object.freeze([]) as unknown as Finding[]

/** In-flight VUs listed per finding besides likely sources (10,000 VUs would bloat every finding). */
const MAX_CONCURRENT_LISTED = 64

/** Statuses where a missing identity means nothing (server error, rate limit), not a logged-out page. */
function identityExpected(status: number): boolean {
  return status < 500 && status !== 429
}

class MarkerDetector implements Detector {
  private readonly ids = new Map<number, string>()
  private readonly sessions = new SessionRegistry()
  private readonly accountOfVu = new Map<number, number>()
  /** (VU, page) pairs already warned for a missing identity. */
  private readonly ownMissing = new Set<string>()
  /** (method, page, reasons) already warned as cacheable. */
  private readonly seenCacheRisks = new Set<string>()
  private readonly maxForeign: number
  /** Buffers every scan reuses: inspect() is synchronous. */
  private readonly state = new ScanState()
  private readonly risks = new CacheRiskMemo()
  private readonly dedupe: boolean
  private readonly scans: ScanCache | undefined
  private readonly excerptChars: number
  /** The scan options, one object reused: the hot path allocates none. */
  private readonly scanOptions: ScanOptions<AccountIdentity>
  withoutOwner = 0

  constructor(index: MarkerIndex, accounts: readonly Account[], options: DetectorOptions) {
    for (const a of accounts) {
      this.ids.set(a.index, a.id)
    }
    this.maxForeign = options.maxForeignPerFinding ?? 20
    this.dedupe = options.dedupeWarnings ?? true
    this.excerptChars = options.excerptChars ?? CONTEXT_CHARS
    const budget = options.scanCacheBytes ?? DEFAULT_SCAN_CACHE_BYTES
    this.scans = budget > 0 ? new ScanCache({ budgetBytes: budget }) : undefined
    this.scanOptions = {
      index: index.markers,
      state: this.state,
      cache: this.scans === undefined ? undefined : { in: this.scans, group: 0, page: '' },
    }
  }

  /** `sample.concurrent` may be a getter that walks the in-flight registry: read it once. */
  private concurrentCache: ResponseSample['concurrent'] | undefined

  private concurrentOf(sample: ResponseSample): ResponseSample['concurrent'] {
    this.concurrentCache ??= sample.concurrent
    return this.concurrentCache
  }

  inspect(sample: ResponseSample): Finding[] {
    this.concurrentCache = undefined
    this.accountOfVu.set(sample.vu, sample.owner)
    // Most responses yield nothing: no array until the first finding.
    let findings: Finding[] | undefined
    const swap = this.sessionSwap(sample)
    if (swap !== undefined) {
      findings = [swap]
    }
    const result = this.scan(sample)
    const ownSeen = result.ownerSeen
    const foreign = result.foreign
    if (foreign.length > 0) {
      ;(findings ??= []).push(this.foreignFinding(sample, foreign, result.text()))
    }
    // A page showing someone else instead of the owner is already a leak; a warning would be noise.
    if (sample.expectOwnMarker && foreign.length === 0 && identityExpected(sample.status)) {
      if (ownSeen) {
        // Cheap on the common path: a key is only built once some VU has missed its identity.
        if (this.ownMissing.size > 0) {
          this.ownMissing.delete(`${sample.vu}|${sample.page}`)
        }
      } else {
        // Counted every time (the warning is not): a page that never shows its owner checks nothing.
        this.withoutOwner++
        if (this.firstTime(this.ownMissing, `${sample.vu}|${sample.page}`)) {
          ;(findings ??= []).push({
            ...this.base(sample, 'own-identity-missing', 'warning'),
            detail: `status ${sample.status}: none of the owner's markers is on a page that should show them`,
          })
        }
      }
    }
    if (ownSeen || foreign.length > 0) {
      const risks = this.risks.risks({
        cacheControl: headerOf(sample, 'cache-control'),
        vary: headerOf(sample, 'vary'),
        expires: headerOf(sample, 'expires'),
        status: sample.status,
        now: sample.time,
      })
      if (
        risks.length > 0 &&
        this.firstTime(this.seenCacheRisks, `${sample.method}|${sample.page}|${risks.join()}`)
      ) {
        ;(findings ??= []).push({
          ...this.base(sample, 'cacheable-personalised', 'warning'),
          detail: `personalised response a shared cache may store: ${risks.join('; ')}`,
        })
      }
    }
    return findings ?? NO_FINDINGS
  }

  /** Scans the sample's body for its owner, through the VU's kept scan of the page when there is one. */
  private scan(sample: ResponseSample): ScanResult<AccountIdentity> {
    const options = this.scanOptions
    options.contentType = headerOf(sample, 'content-type')
    options.owner = String(sample.owner)
    options.allowlist = sample.allowlist
    if (options.cache !== undefined) {
      options.cache.group = sample.vu
      options.cache.page = sample.page
    }
    return scan(sample.body, options)
  }

  forgetVu(vu: number): void {
    this.scans?.forget(vu)
    this.sessions.forget(vu)
    this.accountOfVu.delete(vu)
  }

  private firstTime(seen: Set<string>, key: string): boolean {
    if (!this.dedupe) {
      return true
    }
    if (seen.has(key)) {
      return false
    }
    seen.add(key)
    return true
  }

  private account(index: number): { index: number; id: string } {
    return { index, id: this.ids.get(index) ?? `#${index}` }
  }

  private base(
    sample: ResponseSample,
    kind: Finding['kind'],
    severity: Finding['severity']
  ): Finding {
    return {
      kind,
      severity,
      time: new Date(sample.time).toISOString(),
      vu: sample.vu,
      owner: this.account(sample.owner),
      foreign: [],
      request: {
        method: sample.method,
        url: sample.url,
        status: sample.status,
        page: sample.page,
      },
      headers: relevantHeaders(sample.headers),
      concurrent: this.concurrentOf(sample)
        .slice(0, MAX_CONCURRENT_LISTED)
        .map((c) => ({
          vu: c.vu,
          account: this.ids.get(c.account) ?? `#${c.account}`,
          likelySource: false,
        })),
    }
  }

  /** Marks concurrent VUs holding a foreign account; keeps those plus the first few others. */
  private withSources(finding: Finding, sample: ResponseSample): Finding {
    const sources = new Set(finding.foreign.map((f) => f.index))
    finding.concurrent = this.concurrentOf(sample)
      .map((c) => ({
        vu: c.vu,
        account: this.ids.get(c.account) ?? `#${c.account}`,
        likelySource: sources.has(c.account),
      }))
      .filter((c, i) => c.likelySource || i < MAX_CONCURRENT_LISTED)
    return finding
  }

  private foreignFinding(
    sample: ResponseSample,
    hits: readonly Match<AccountIdentity>[],
    text: string
  ): Finding {
    const foreign: FindingForeign[] = []
    const listed = new Set<number>()
    for (const h of hits) {
      const account = h.identity.account.index
      if (!listed.has(account)) {
        listed.add(account)
        if (foreign.length < this.maxForeign) {
          foreign.push({ ...this.account(account), column: h.column, marker: h.marker })
        }
      }
    }
    const first = hits[0] as Match<AccountIdentity>
    const finding: Finding = {
      ...this.base(sample, 'foreign-identity', 'leak'),
      foreign,
      excerpt: excerptAround(text, first.start, first.end, this.excerptChars),
    }
    const notes: string[] = []
    if (listed.size > foreign.length) {
      notes.push(`${listed.size} foreign accounts matched, first ${foreign.length} listed`)
    }
    const shared = new Set(
      hits
        .filter((h) => h.start === first.start && h.end === first.end)
        .map((h) => h.identity.account.index)
    )
    if (shared.size > 1) {
      notes.push(`marker "${first.marker}" is held by ${shared.size} accounts (ambiguous)`)
    }
    if (notes.length > 0) {
      finding.detail = notes.join('; ')
    }
    return this.withSources(finding, sample)
  }

  private sessionSwap(sample: ResponseSample): Finding | undefined {
    if (sample.setCookies.length === 0) {
      return undefined
    }
    const hits = this.sessions.record(sample.vu, sample.setCookies)
    if (hits.length === 0) {
      return undefined
    }
    const foreign: FindingForeign[] = hits.map((h) => {
      const account = this.accountOfVu.get(h.holder) ?? -1
      return { ...this.account(account), column: `cookie:${h.name}`, marker: '[redacted]' }
    })
    const finding: Finding = {
      ...this.base(sample, 'session-swap', 'leak'),
      foreign,
      detail: hits
        .map((h) => `Set-Cookie ${h.name} handed this VU the value VU ${h.holder} already holds`)
        .join('; '),
    }
    return this.withSources(finding, sample)
  }
}

/** A header of the sample, through its own lookup when it has one (see ResponseSample.header). */
function headerOf(sample: ResponseSample, name: string): string | undefined {
  return sample.header !== undefined ? sample.header(name) : headerValue(sample.headers, name)
}

/**
 * Whether `body` shows `owner`'s marker outside what `allowlist` covers: the check a login's
 * verify step makes.
 */
export function showsOwner(
  index: MarkerIndex,
  body: string | Uint8Array,
  contentType: string | undefined,
  allowlist: Allowlist | undefined,
  owner: number
): boolean {
  return scan(body, { index: index.markers, contentType, allowlist, owner: String(owner) })
    .ownerSeen
}

/** A detector keeps the session registry and warning de-duplication for one run. */
export function createDetector(
  index: MarkerIndex,
  accounts: readonly Account[],
  options: DetectorOptions = {}
): Detector {
  return new MarkerDetector(index, accounts, options)
}
