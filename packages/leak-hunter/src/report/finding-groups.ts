// Findings grouped by (kind, page, owner, foreign accounts): a count, the first and last time and
// one representative each. Bounded, and the same however findings arrive or a run is split: the
// groups kept are the `limit` smallest by a hash of their key (bottom-k), so merging the groups of
// several reports gives exactly the groups of one report over all their findings.
import type { Finding, FindingAccount } from '../detect/types.js'
import { ArgsInvalidError } from '../errors.js'
import type { FindingGroup, FindingGroups, GroupList } from './types.js'

/** Groups kept per severity unless the caller says otherwise (HuntOptions.maxGroups). */
export const DEFAULT_MAX_GROUPS = 1000

/** Distinct omitted groups are counted exactly up to this many; past it they are estimated. */
const EXACT_OMITTED_GROUPS = 100_000

const HASH_RANGE = 2 ** 53

/** The identity of a group: what it was, where, whose page, and whose identity showed on it. */
export function groupKey(g: Pick<FindingGroup, 'kind' | 'page' | 'owner' | 'foreign'>): string {
  return JSON.stringify([g.kind, g.page, g.owner.id, g.foreign.map((f) => f.id)])
}

/**
 * A 53-bit hash of a group key (two 32-bit multiplicative lanes, cross-mixed), the rank by which
 * groups are kept: fixed per key, so any split of the findings keeps the same groups.
 */
export function groupHash(key: string): number {
  let a = 0x811c9dc5
  let b = 0x2545f491
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35)
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35)
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0)
}

function hasLikelySource(f: Finding): boolean {
  return f.concurrent.some((c) => c.likelySource)
}

/**
 * The order that picks a group's representative: a finding whose in-flight list names a likely
 * source first, then the earliest, then by VU, URL and finally the whole finding, so the choice
 * is the same whatever order the findings came in.
 */
export function compareEvidence(a: Finding, b: Finding): number {
  const source = Number(hasLikelySource(b)) - Number(hasLikelySource(a))
  if (source !== 0) {
    return source
  }
  if (a.time !== b.time) {
    return a.time < b.time ? -1 : 1
  }
  if (a.vu !== b.vu) {
    return a.vu - b.vu
  }
  if (a.request.url !== b.request.url) {
    return a.request.url < b.request.url ? -1 : 1
  }
  const ja = JSON.stringify(a)
  const jb = JSON.stringify(b)
  return ja < jb ? -1 : ja > jb ? 1 : 0
}

interface Ranked {
  group: FindingGroup
  key: string
  hash: number
}

function byRank(a: Ranked, b: Ranked): number {
  return a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
}

function foreignOf(f: Finding): FindingAccount[] {
  const seen = new Map<string, FindingAccount>()
  for (const x of f.foreign) {
    seen.set(x.id, { index: x.index, id: x.id })
  }
  return [...seen.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
}

function groupOf(f: Finding): FindingGroup {
  return {
    kind: f.kind,
    severity: f.severity,
    page: f.request.page,
    owner: { index: f.owner.index, id: f.owner.id },
    foreign: foreignOf(f),
    count: 1,
    withLikelySource: hasLikelySource(f) ? 1 : 0,
    firstTime: f.time,
    lastTime: f.time,
    evidence: f,
  }
}

/** `into` absorbs `g` (same key): counts add, times widen, the representative is the smaller. */
function absorb(into: FindingGroup, g: FindingGroup): void {
  into.count += g.count
  into.withLikelySource += g.withLikelySource
  if (g.firstTime < into.firstTime) {
    into.firstTime = g.firstTime
  }
  if (g.lastTime > into.lastTime) {
    into.lastTime = g.lastTime
  }
  if (compareEvidence(g.evidence, into.evidence) < 0) {
    into.evidence = g.evidence
  }
}

/** Largest groups first; ties by first time, then key: a stable order for every output. */
function displayOrder(a: Ranked, b: Ranked): number {
  return (
    b.group.count - a.group.count ||
    (a.group.firstTime < b.group.firstTime ? -1 : a.group.firstTime > b.group.firstTime ? 1 : 0) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  )
}

/** The k-minimum-values estimate of all distinct groups, from the largest hash kept. */
function estimateOmitted(kept: readonly Ranked[], limit: number): number {
  const largest = kept.reduce((m, r) => Math.max(m, r.hash), 0)
  const total = ((limit - 1) * HASH_RANGE) / Math.max(1, largest)
  return Math.max(0, Math.round(total) - kept.length)
}

/** Groups of one severity as findings stream in; memory is `limit` groups plus a bounded count. */
class GroupSet {
  readonly #limit: number
  readonly #kept = new Map<string, Ranked>()
  #largest: Ranked | undefined
  readonly #omittedHashes = new Set<number>()
  #omittedFindings = 0
  #overflowed = false

  constructor(limit: number) {
    this.#limit = limit
  }

  add(finding: Finding): void {
    const group = groupOf(finding)
    const key = groupKey(group)
    const kept = this.#kept.get(key)
    if (kept !== undefined) {
      absorb(kept.group, group)
      return
    }
    this.insert({ group, key, hash: groupHash(key) })
  }

  /** A group not kept yet: kept if it ranks among the `limit` smallest, else counted as omitted. */
  insert(r: Ranked): void {
    if (this.#kept.size < this.#limit) {
      this.#kept.set(r.key, r)
      if (this.#largest !== undefined && byRank(r, this.#largest) > 0) {
        this.#largest = r
      }
      return
    }
    this.#largest ??= [...this.#kept.values()].reduce((m, x) => (byRank(x, m) > 0 ? x : m))
    if (byRank(r, this.#largest) > 0) {
      this.#omit(r)
      return
    }
    const evicted = this.#largest
    this.#kept.delete(evicted.key)
    this.#kept.set(r.key, r)
    this.#largest = undefined
    this.#omit(evicted)
  }

  // A key once omitted stays omitted: the largest kept rank only falls, so the set counts
  // distinct groups.
  #omit(r: Ranked): void {
    this.#omittedFindings += r.group.count
    if (this.#omittedHashes.size < EXACT_OMITTED_GROUPS) {
      this.#omittedHashes.add(r.hash)
    } else {
      this.#overflowed = true
    }
  }

  list(): GroupList {
    const kept = [...this.#kept.values()]
    const estimated = this.#overflowed
    return {
      groups: kept.sort(displayOrder).map((r) => r.group),
      omitted: {
        groups: estimated ? estimateOmitted(kept, this.#limit) : this.#omittedHashes.size,
        findings: this.#omittedFindings,
        estimated,
      },
    }
  }
}

/** Collects the groups of one run: add() every (redacted) finding, then groups(). */
export class FindingGrouper {
  readonly #limit: number
  readonly #leaks: GroupSet
  readonly #warnings: GroupSet

  constructor(limit = DEFAULT_MAX_GROUPS) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new ArgsInvalidError(`maxGroups: expected a whole number above 0, got ${limit}`)
    }
    this.#limit = limit
    this.#leaks = new GroupSet(limit)
    this.#warnings = new GroupSet(limit)
  }

  add(finding: Finding): void {
    ;(finding.severity === 'leak' ? this.#leaks : this.#warnings).add(finding)
  }

  groups(): FindingGroups {
    return { limit: this.#limit, leaks: this.#leaks.list(), warnings: this.#warnings.list() }
  }
}

function copyGroup(g: FindingGroup): FindingGroup {
  return { ...g, owner: { ...g.owner }, foreign: g.foreign.map((f) => ({ ...f })) }
}

function mergeLists(a: GroupList, b: GroupList, limit: number): GroupList {
  const all = new Map<string, FindingGroup>()
  for (const g of [...a.groups, ...b.groups]) {
    const key = groupKey(g)
    const seen = all.get(key)
    if (seen === undefined) {
      all.set(key, copyGroup(g))
    } else {
      absorb(seen, g)
    }
  }
  const ranked = [...all].map(([key, group]) => ({ key, group, hash: groupHash(key) }))
  ranked.sort(byRank)
  const kept = ranked.slice(0, limit)
  const dropped = ranked.slice(limit)
  const findings =
    a.omitted.findings + b.omitted.findings + dropped.reduce((n, r) => n + r.group.count, 0)
  // Both parts complete: every group is in hand and the count is exact. Otherwise the parts'
  // omitted groups may overlap, and only the estimate from the kept ranks is sound.
  const complete = [a, b].every((l) => l.omitted.groups === 0 && !l.omitted.estimated)
  return {
    groups: kept.sort(displayOrder).map((r) => r.group),
    omitted: {
      groups: complete ? dropped.length : estimateOmitted(kept, limit),
      findings,
      estimated: !complete,
    },
  }
}

/**
 * The groups of two reports as one report over both runs' findings would hold them: counts add,
 * first and last times are the min and max, the representative is the smaller by
 * compareEvidence, and the kept groups are the smallest ranks of both (the smaller limit).
 * `omitted.groups` is exact when neither part omitted any group, estimated otherwise.
 */
export function mergeFindingGroups(a: FindingGroups, b: FindingGroups): FindingGroups {
  const limit = Math.min(a.limit, b.limit)
  return {
    limit,
    leaks: mergeLists(a.leaks, b.leaks, limit),
    warnings: mergeLists(a.warnings, b.warnings, limit),
  }
}
