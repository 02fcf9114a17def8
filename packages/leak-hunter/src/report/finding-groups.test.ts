import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Finding } from '../detect/types.js'
import { FindingGrouper, compareEvidence, groupHash, mergeFindingGroups } from './finding-groups.js'
import type { FindingGroups } from './types.js'

const ACCOUNTS = ['ann', 'bob', 'cy', 'dee', 'eve']

function finding(
  owner: number,
  foreign: number[],
  options: { page?: string; second?: number; vu?: number; source?: boolean; warning?: boolean } = {}
): Finding {
  const warning = options.warning === true
  return {
    kind: warning ? 'cacheable-personalised' : 'foreign-identity',
    severity: warning ? 'warning' : 'leak',
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, options.second ?? 0)).toISOString(),
    vu: options.vu ?? owner + 1,
    owner: { index: owner, id: ACCOUNTS[owner] ?? `a${owner}` },
    foreign: warning
      ? []
      : foreign.map((i) => ({
          index: i,
          id: ACCOUNTS[i] ?? `a${i}`,
          column: 'name',
          marker: `Name ${i}`,
        })),
    request: { method: 'GET', url: 'http://127.0.0.1/', status: 200, page: options.page ?? 'home' },
    headers: {},
    concurrent:
      options.source === true
        ? [{ vu: 9, account: ACCOUNTS[foreign[0] ?? 0] ?? 'x', likelySource: true }]
        : [],
  }
}

function groupsOf(findings: readonly Finding[], limit?: number): FindingGroups {
  const g = new FindingGrouper(limit)
  findings.forEach((f) => g.add(f))
  return g.groups()
}

const arbFinding = fc
  .record({
    owner: fc.integer({ min: 0, max: 4 }),
    foreign: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 2 }),
    page: fc.constantFrom('home', 'me', 'login-submit'),
    second: fc.integer({ min: 0, max: 59 }),
    vu: fc.integer({ min: 1, max: 4 }),
    source: fc.boolean(),
    warning: fc.boolean(),
  })
  .map((r) => finding(r.owner, r.foreign, r))

describe('finding groups', () => {
  test('groups by kind, page, owner and foreign accounts, with counts and first/last time', () => {
    const groups = groupsOf([
      finding(0, [1], { second: 5 }),
      finding(0, [1], { second: 2 }),
      finding(0, [1], { second: 9 }),
      finding(0, [1], { page: 'me', second: 1 }),
      finding(1, [0], { second: 3 }),
      finding(0, [2, 1], { second: 4 }),
      finding(0, [1, 2], { second: 6 }),
      finding(3, [], { warning: true }),
    ])
    const rows = groups.leaks.groups.map((g) => [
      g.owner.id,
      g.foreign.map((f) => f.id).join('+'),
      g.page,
      g.count,
      g.firstTime.slice(17, 19),
      g.lastTime.slice(17, 19),
    ])
    expect(rows).toEqual([
      ['ann', 'bob', 'home', 3, '02', '09'],
      // The foreign set is sorted: [cy, bob] and [bob, cy] are one group.
      ['ann', 'bob+cy', 'home', 2, '04', '06'],
      ['ann', 'bob', 'me', 1, '01', '01'],
      ['bob', 'ann', 'home', 1, '03', '03'],
    ])
    expect(groups.warnings.groups.map((g) => [g.kind, g.owner.id, g.count])).toEqual([
      ['cacheable-personalised', 'dee', 1],
    ])
    expect(groups.leaks.omitted).toEqual({ groups: 0, findings: 0, estimated: false })
  })

  test('the representative has a likely source in flight if any finding does, else is the earliest', () => {
    const early = finding(0, [1], { second: 1 })
    const sourced = finding(0, [1], { second: 8, source: true })
    const g = groupsOf([finding(0, [1], { second: 3 }), sourced, early]).leaks.groups[0]!
    expect(g.evidence).toBe(sourced)
    expect(g.withLikelySource).toBe(1)
    expect(groupsOf([finding(0, [1], { second: 3 }), early]).leaks.groups[0]!.evidence).toBe(early)
  })

  test('past the limit, the smallest hash ranks are kept and the rest counted', () => {
    const findings = [0, 1, 2, 3, 4].flatMap((o) =>
      [0, 1, 2, 3, 4].filter((f) => f !== o).map((f) => finding(o, [f]))
    )
    findings.push(finding(0, [1]), finding(0, [1]))
    const groups = groupsOf(findings, 5)
    expect(groups.leaks.groups).toHaveLength(5)
    const kept = groups.leaks.groups.reduce((n, g) => n + g.count, 0)
    expect(kept + groups.leaks.omitted.findings).toBe(22)
    expect(groups.leaks.omitted).toMatchObject({ groups: 15, estimated: false })
    const ranks = (g: FindingGroups): number[] =>
      g.leaks.groups
        .map((x) => groupHash(JSON.stringify([x.kind, x.page, x.owner.id, [x.foreign[0]!.id]])))
        .sort((a, b) => a - b)
    const all = findings.map((f) =>
      groupHash(JSON.stringify([f.kind, f.request.page, f.owner.id, [f.foreign[0]!.id]]))
    )
    expect(ranks(groups)).toEqual([...new Set(all)].sort((a, b) => a - b).slice(0, 5))
  })

  test('property: the groups do not depend on the order findings arrive in', () => {
    fc.assert(
      fc.property(
        fc.array(arbFinding, { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.func(fc.integer()),
        (findings, limit, order) => {
          const shuffled = [...findings].sort((a, b) => order(a) - order(b))
          expect(groupsOf(shuffled, limit)).toEqual(groupsOf(findings, limit))
        }
      )
    )
  })

  test('property: merging the groups of a split equals grouping everything at once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbFinding, fc.integer({ min: 0, max: 2 })), { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (tagged, limit) => {
          const part = (n: number): Finding[] => tagged.filter(([, p]) => p === n).map(([f]) => f)
          const whole = groupsOf(
            tagged.map(([f]) => f),
            limit
          )
          const merged = mergeFindingGroups(
            mergeFindingGroups(groupsOf(part(0), limit), groupsOf(part(1), limit)),
            groupsOf(part(2), limit)
          )
          for (const severity of ['leaks', 'warnings'] as const) {
            expect(merged[severity].groups).toEqual(whole[severity].groups)
            expect(merged[severity].omitted.findings).toBe(whole[severity].omitted.findings)
            if (!merged[severity].omitted.estimated) {
              expect(merged[severity].omitted.groups).toBe(whole[severity].omitted.groups)
            }
          }
        }
      )
    )
  })

  test('merging with a smaller limit keeps the smaller limit', () => {
    const findings = [finding(0, [1]), finding(1, [2]), finding(2, [3]), finding(3, [4])]
    const merged = mergeFindingGroups(
      groupsOf(findings.slice(0, 2), 10),
      groupsOf(findings.slice(2), 2)
    )
    expect(merged.limit).toBe(2)
    expect(merged.leaks.groups).toEqual(groupsOf(findings, 2).leaks.groups)
    expect(merged.leaks.omitted).toEqual({ groups: 2, findings: 2, estimated: false })
  })

  test('compareEvidence is a total order that prefers a likely source, then time', () => {
    const a = finding(0, [1], { second: 5, source: true })
    const b = finding(0, [1], { second: 1 })
    const c = finding(0, [1], { second: 1, vu: 3 })
    expect(compareEvidence(a, b)).toBeLessThan(0)
    expect(compareEvidence(b, c)).toBeLessThan(0)
    expect(compareEvidence(b, { ...b })).toBe(0)
  })

  // A leak storm keeps `limit` groups and a bounded count however many findings arrive.
  test('a storm of 1e6 findings keeps at most the limit; omitted groups exact, then estimated', () => {
    const base = finding(0, [1])
    const grouper = new FindingGrouper(1000)
    const distinct = 300_000
    for (let n = 0; n < 1_000_000; n++) {
      // 300,000 distinct pages: 300,000 distinct groups, each seen 3 or 4 times.
      grouper.add({ ...base, request: { ...base.request, page: `p${n % distinct}` } })
    }
    const { leaks } = grouper.groups()
    expect(leaks.groups).toHaveLength(1000)
    expect(leaks.groups.reduce((n, g) => n + g.count, 0) + leaks.omitted.findings).toBe(1_000_000)
    expect(leaks.omitted.estimated).toBe(true)
    // k minimum values with k = 1000: a standard error of about 3 %.
    expect(Math.abs(leaks.omitted.groups - (distinct - 1000)) / distinct).toBeLessThan(0.12)

    const exact = groupsOf(
      Array.from({ length: 20_000 }, (_, n) => ({
        ...base,
        request: { ...base.request, page: `p${n % 5000}` },
      })),
      100
    )
    expect(exact.leaks.omitted).toEqual({ groups: 4900, findings: 19_600, estimated: false })
  })

  test('maxGroups must be a whole number above 0', () => {
    for (const bad of [0, 1.5]) {
      expect(() => new FindingGrouper(bad)).toThrow(
        expect.objectContaining({ code: 'HUNT_ERR_ARGS_INVALID' })
      )
    }
  })
})
