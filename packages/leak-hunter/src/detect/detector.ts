import type { AutomatonMatch } from './aho-corasick.js'
import type { Allowlist } from './allowlist/allowlist.js'
import { CONTEXT_CHARS, excerptAround } from './excerpt.js'
import { isBinaryType, normalizeBodyInto } from './normalize.js'
import { headerValue, relevantHeaders, sharedCacheRisks } from './response-headers.js'
import { DEFAULT_SCAN_CACHE_BYTES, ScanCache } from './scan-cache.js'
import { SessionRegistry } from './session-registry.js'
import { UnitBuffer } from './unit-buffer.js'
import type {
  Account,
  Detector,
  Finding,
  FindingForeign,
  MarkerHit,
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
  /** Each body's normalised text, reused: inspect() is synchronous. */
  private readonly units = new UnitBuffer()
  private readonly dedupe: boolean
  private readonly scans: ScanCache | undefined
  private readonly excerptChars: number
  withoutOwner = 0

  constructor(
    private readonly index: MarkerIndex,
    accounts: readonly Account[],
    options: DetectorOptions
  ) {
    for (const a of accounts) {
      this.ids.set(a.index, a.id)
    }
    this.maxForeign = options.maxForeignPerFinding ?? 20
    this.dedupe = options.dedupeWarnings ?? true
    this.excerptChars = options.excerptChars ?? CONTEXT_CHARS
    const budget = options.scanCacheBytes ?? DEFAULT_SCAN_CACHE_BYTES
    this.scans = budget > 0 ? new ScanCache(budget) : undefined
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
    const contentType = headerOf(sample, 'content-type')
    // The normalised text stays in code units; a string is made only as evidence.
    let units = this.units
    let matches: readonly AutomatonMatch[]
    const body = asBuffer(sample.body)
    if (this.scans !== undefined && !(contentType !== undefined && isBinaryType(contentType))) {
      const page = this.scans.scan(sample.vu, sample.page, body, this.index.automaton)
      units = page.text
      matches = page.matches
    } else {
      // Normalise and scan in one pass over the bytes (a second pass only after NFC).
      const automaton = this.index.automaton
      matches = normalizeBodyInto(body, contentType, units, automaton)
        ? automaton.finish(units.units, units.length)
        : automaton.scanUnits(units.units, units.length)
    }
    const allowlist = sample.allowlist
    if (allowlist !== undefined && matches.length > 0) {
      matches = allowlist.filter(matches, body, units.units, units.length)
    }
    const scan = this.index.ownerScan(matches, sample.owner, units.units, units.length)
    const ownSeen = scan.ownSeen
    // A span the owner also holds (a shared marker) is the owner's, whoever else holds it too.
    const foreign = scan.hits.length === 0 ? scan.hits : foreignHits(scan.hits, sample.owner)
    if (foreign.length > 0) {
      ;(findings ??= []).push(this.foreignFinding(sample, foreign, units.toString()))
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
      const risks = sharedCacheRisks(
        headerOf(sample, 'cache-control'),
        headerOf(sample, 'vary'),
        headerOf(sample, 'expires'),
        sample.status,
        sample.time
      )
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

  private foreignFinding(sample: ResponseSample, hits: MarkerHit[], text: string): Finding {
    const foreign: FindingForeign[] = []
    const listed = new Set<number>()
    for (const h of hits) {
      if (!listed.has(h.account)) {
        listed.add(h.account)
        if (foreign.length < this.maxForeign) {
          foreign.push({ ...this.account(h.account), column: h.column, marker: h.marker })
        }
      }
    }
    const first = hits[0] as MarkerHit
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
      hits.filter((h) => h.start === first.start && h.end === first.end).map((h) => h.account)
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

function asBuffer(body: string | Uint8Array): Buffer {
  if (typeof body === 'string') {
    return Buffer.from(body, 'utf8')
  }
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length)
}

/** Hits of other accounts, minus spans the owner also holds (a marker shared with the owner). */
function foreignHits(hits: readonly MarkerHit[], owner: number): MarkerHit[] {
  const ownSpans = new Set<number>()
  for (const h of hits) {
    if (h.account === owner) {
      ownSpans.add(h.start * 0x100000 + h.end)
    }
  }
  return hits.filter((h) => h.account !== owner && !ownSpans.has(h.start * 0x100000 + h.end))
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
  const units = new UnitBuffer()
  const bytes = asBuffer(body)
  const automaton = index.automaton
  let matches: readonly AutomatonMatch[] = normalizeBodyInto(bytes, contentType, units, automaton)
    ? automaton.finish(units.units, units.length)
    : automaton.scanUnits(units.units, units.length)
  if (allowlist !== undefined) {
    matches = allowlist.filter(matches, bytes, units.units, units.length)
  }
  return index.ownerScan(matches, owner, units.units, units.length).ownSeen
}

/** A detector keeps the session registry and warning de-duplication for one run. */
export function createDetector(
  index: MarkerIndex,
  accounts: readonly Account[],
  options: DetectorOptions = {}
): Detector {
  return new MarkerDetector(index, accounts, options)
}
