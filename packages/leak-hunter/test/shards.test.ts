// `run --shard I/N` and `merge`: deterministic slices of one run on real processes, and a merged
// report that is exactly the sum of its shards' raw data, of the same form as one process's.
import { writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build, decodeFromCompressedBase64 } from 'hdr-histogram-js'
import { describe, expect, test } from 'vitest'
import { assignAccounts, runHunt } from '../src/index.js'
import type { HuntEvent, HuntReport } from '../src/index.js'
import { countersOfSummary } from '../src/scale/merge-parts.js'
import { makeUsers } from './fixtures/fixture-server.js'
import { useLeakyAndClean } from './fixtures/leaky-and-clean.js'
import { reportForm } from './fixtures/report-form.js'
import { runBin } from './fixtures/run-bin.js'
import { scenarioFor, writeScenarioDir } from './fixtures/scenarios.js'

const users = makeUsers(24)
const servers = useLeakyAndClean(users)

type ShardReport = HuntReport & { shard: NonNullable<HuntReport['shard']> }

const read = async (dir: string, file: string): Promise<ShardReport> =>
  JSON.parse(await readFile(join(dir, file), 'utf8')) as ShardReport

/** Runs shard `index`/`count` of the scenario in `dir` in this process; writes shard-<index>.json. */
async function shard(dir: string, index: number, count: number, events: HuntEvent[]) {
  const report = await runHunt(
    { scenario: join(dir, 'scenario.json'), shard: { index, count } },
    { onEvent: (e) => events.push(e) }
  )
  writeFileSync(join(dir, `shard-${index}.json`), JSON.stringify(report))
  return report as ShardReport
}

describe('--shard I/N and merge', () => {
  test('three shards (one through the CLI, from JOB_COMPLETION_INDEX, with 2 workers) merge into exactly the sum of their raw data', async () => {
    const load = { vus: 12, duration: '1500ms' }
    const dir = writeScenarioDir(users, scenarioFor('form', servers.leaky.url, load))
    const events: HuntEvent[] = []
    const [one, two, cli] = await Promise.all([
      shard(dir, 1, 3, events),
      shard(dir, 2, 3, events),
      runBin(
        ['run', 'scenario.json', '--shards', '3', '--workers', '2', '--json', 'shard-3.json', '-q'],
        {
          cwd: dir,
          env: { JOB_COMPLETION_INDEX: '2' },
        }
      ),
    ])
    expect(cli.code).toBe(1)
    const three = await read(dir, 'shard-3.json')
    const shards = [one, two, three]
    expect(three.shard.index).toBe(3)
    expect(three.scale?.mode).toBe('workers')
    expect(three.scale?.parts.map((p) => p.slice)).toEqual([
      { offset: 2, stride: 6 },
      { offset: 5, stride: 6 },
    ])
    // No seed given: every shard derived the same one from the scenario, so the slices of the
    // one assignment are disjoint and cover every VU.
    expect(new Set(shards.map((s) => s.seed)).size).toBe(1)
    expect(shards.map((s) => s.summary.virtualUsers)).toEqual([4, 4, 4])
    const assigned = assignAccounts(users.length, 12, one.seed)
    for (const e of events) {
      if (e.type === 'login') {
        expect(e.account).toBe(users[assigned[e.vu]!]!.username)
      }
    }
    const vusOf = (r: HuntReport): number[] => r.findings.map((f) => f.vu)
    expect(vusOf(one).every((vu) => vu % 3 === 0)).toBe(true)
    expect(vusOf(two).every((vu) => vu % 3 === 1)).toBe(true)
    expect(vusOf(three).every((vu) => vu % 3 === 2)).toBe(true)

    const merged = await runBin(
      ['merge', 'shard-2.json', 'shard-3.json', 'shard-1.json', '--json', 'merged.json'],
      { cwd: dir }
    )
    expect(merged.stderr).toBe('')
    expect(merged.code).toBe(1)
    expect(merged.stdout).toContain('LEAK')
    const m = JSON.parse(await readFile(join(dir, 'merged.json'), 'utf8')) as HuntReport

    // Counts: the sum of the shards'.
    const sum = (pick: (r: ShardReport) => number): number =>
      shards.reduce((n, r) => n + pick(r), 0)
    const counters = countersOfSummary(m.summary)
    for (const [name, value] of Object.entries(counters)) {
      expect(value, name).toBe(
        sum((r) => countersOfSummary(r.summary)[name as keyof typeof counters])
      )
    }
    expect(m.summary.virtualUsers).toBe(12)
    expect(m.summary.leaks.affectedAccounts).toEqual(
      [...new Set(shards.flatMap((r) => r.summary.leaks.affectedAccounts))].sort()
    )
    expect(m.findings).toHaveLength(
      Math.min(
        1000,
        sum((r) => r.findings.length)
      )
    )
    const grouped = (r: HuntReport): number =>
      r.groups.leaks.groups.reduce((n, g) => n + g.count, 0) + r.groups.leaks.omitted.findings
    expect(grouped(m)).toBe(sum(grouped))
    expect(grouped(m)).toBe(m.summary.leaks.findings)
    for (const step of m.summary.steps) {
      const parts = shards.map((r) =>
        r.summary.steps.find((s) => s.phase === step.phase && s.name === step.name)!
      )
      expect(step.sent).toBe(parts.reduce((n, s) => n + s.sent, 0))
      expect(step.responses).toBe(parts.reduce((n, s) => n + s.responses, 0))
    }
    // Latency: the shards' raw histograms added, percentiles read from the sum.
    const all = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
    })
    for (const r of shards) {
      const h = decodeFromCompressedBase64(r.shard.latency.hdr)
      all.add(h)
      h.destroy()
    }
    expect(all.totalCount).toBe(m.summary.requests)
    for (const { percentile, ms } of m.latencyPercentiles) {
      const expected =
        percentile === 100
          ? Math.max(...shards.map((r) => r.shard.latency.maxUs)) / 1000
          : all.getValueAtPercentile(percentile) / 1000
      expect(ms, `p${percentile}`).toBe(expected)
    }
    all.destroy()
    // Timeline: second by second, each shard's shifted by its whole-second origin.
    const origin = Math.min(...shards.map((r) => r.shard.timelineOrigin))
    const perSecond = new Map<number, number>()
    for (const r of shards) {
      const shift = (r.shard.timelineOrigin - origin) / 1000
      expect(Number.isInteger(shift)).toBe(true)
      for (const b of r.timeline) {
        perSecond.set(b.second + shift, (perSecond.get(b.second + shift) ?? 0) + b.requests)
      }
    }
    expect(m.timeline.map((b) => [b.second, b.requests])).toEqual(
      [...perSecond].sort((a, b) => a[0] - b[0])
    )

    expect(m.verdict).toBe('leak')
    expect(m.scale?.mode).toBe('shards')
    expect(m.scale?.parts.map((p) => [p.index, p.slice, p.vus])).toEqual([
      [0, { offset: 0, stride: 3 }, 4],
      [1, { offset: 1, stride: 3 }, 4],
      [2, { offset: 2, stride: 3 }, 4],
    ])
    const single = await runHunt({
      scenario: join(dir, 'scenario.json'),
      overrides: { duration: '300ms' },
    })
    const { scale, ...rest } = m
    expect(scale).toBeDefined()
    expect(reportForm(rest)).toEqual(reportForm(single))
  }, 60_000)

  test("an arrival rate is split: the shards schedule the run's arrivals between them, each once", async () => {
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', servers.clean.url, {
        vus: 9,
        arrivalRate: 120,
        iterations: 60,
        duration: '10s',
        seed: 'rate',
      })
    )
    const reports = await Promise.all([1, 2, 3].map((i) => shard(dir, i, 3, [])))
    expect(reports.map((r) => r.summary.arrivals?.scheduled)).toEqual([20, 20, 20])
    const merged = await runBin(
      ['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json', '--json', 'm.json'],
      { cwd: dir }
    )
    expect(merged.code).toBe(0)
    const m = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as HuntReport
    expect(m.summary.arrivals?.scheduled).toBe(60)
    expect(m.verdict).toBe('clean')
  }, 60_000)

  test('a missing shard is a lost part: the merged verdict is inconclusive and says whose VUs did not run', async () => {
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', servers.clean.url, { vus: 6, duration: '500ms', seed: 'gap' })
    )
    await Promise.all([shard(dir, 1, 3, []), shard(dir, 3, 3, [])])
    const r = await runBin(['merge', 'shard-1.json', 'shard-3.json', '--json', 'm.json'], {
      cwd: dir,
    })
    expect(r.code).toBe(5)
    const m = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as HuntReport
    expect(m.verdict).toBe('inconclusive')
    expect(m.scale?.lost).toEqual([
      {
        kind: 'shard',
        index: 1,
        reason: 'sent no report',
        vus: 2,
        accounts: [],
        accountsOmitted: 2,
      },
    ])
    expect(m.reasons).toContain('shard 2 sent no report: its 2 VU(s) ran no more')
    expect(m.summary.loginFailures).toBe(2)
  }, 60_000)

  test('merge refuses what is not the shards of one run, naming the files (exit 2, HUNT_ERR_MERGE_INVALID)', async () => {
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', servers.clean.url, { vus: 2, duration: '300ms', seed: 'a' })
    )
    const [a] = await Promise.all([shard(dir, 1, 2, [])])
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...a, seed: 'b' }))
    writeFileSync(
      join(dir, 'of-3.json'),
      JSON.stringify({ ...a, shard: { ...a.shard, index: 2, count: 3 } })
    )
    const { shard: _, ...notShard } = a
    writeFileSync(join(dir, 'plain.json'), JSON.stringify(notShard))
    writeFileSync(join(dir, 'broken.json'), '{')
    const cases: Array<[string[], string]> = [
      [['shard-1.json', 'other.json'], 'other.json is a shard of another run than shard-1.json'],
      [['shard-1.json', 'shard-1.json'], 'shard-1.json and shard-1.json are both shard 1/2'],
      [['shard-1.json', 'of-3.json'], 'of-3.json is shard 2/3, shard-1.json is of 2 shards'],
      [['plain.json'], "plain.json: not a shard's report"],
      [['broken.json'], 'broken.json: not JSON'],
      [['missing.json'], 'missing.json: cannot read'],
      [[], "merge needs the shards' JSON reports"],
    ]
    for (const [files, message] of cases) {
      const r = await runBin(['merge', ...files], { cwd: dir })
      expect(r.code, files.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr).toMatch(/HUNT_ERR_(MERGE|ARGS)_INVALID/)
      expect(r.stderr).not.toContain('bug')
    }
  }, 60_000)
})
