// `workers`: the VUs run in worker processes over @crosstalk/ipc-rpc's pool, real processes and a
// real server on 127.0.0.1. Accounts are split, figures merged, the in-flight picture spans the
// workers, a killed worker is reported with what it took, and an abort stops them all.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { assignAccounts, runHunt } from '../src/index.js'
import type { Finding, HuntEvent, HuntReport } from '../src/index.js'
import { makeUsers, usersCsv } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { useLeakyAndClean } from './fixtures/leaky-and-clean.js'
import { reportForm } from './fixtures/report-form.js'
import { BIN } from './fixtures/run-bin.js'
import { scenarioFor, writeScenarioDir } from './fixtures/scenarios.js'
import { workerPids } from './fixtures/worker-pids.js'

const users = makeUsers(16)
const servers = useLeakyAndClean(users)

function hunt(
  server: FixtureServer,
  load: Record<string, unknown>,
  options: { workers?: number; signal?: AbortSignal; onEvent?: (e: HuntEvent) => void } = {}
): Promise<HuntReport> {
  return runHunt(
    {
      scenario: scenarioFor('form', server.url, load),
      accountsCsv: usersCsv(users),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    },
    {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    }
  )
}

const leaks = (r: HuntReport): Finding[] => r.findings.filter((f) => f.kind === 'foreign-identity')

describe('--workers 2', () => {
  test('each account logs in in exactly one worker, leaks name sources in the other worker, one report of the same form', async () => {
    const events: HuntEvent[] = []
    const load = { vus: 8, duration: '1500ms', seed: 'workers-leaky' }
    const report = await hunt(servers.leaky, load, { workers: 2, onEvent: (e) => events.push(e) })
    const single = await hunt(servers.leaky, load)

    expect(report.scale?.mode).toBe('workers')
    expect(report.scale?.parts.map((p) => [p.slice, p.vus])).toEqual([
      [{ offset: 0, stride: 2 }, 4],
      [{ offset: 1, stride: 2 }, 4],
    ])
    const pids = report.scale!.parts.map((p) => p.pid)
    expect(new Set(pids).size).toBe(2)
    expect(pids).not.toContain(process.pid)
    expect(workerPids()).toEqual([])

    // Exclusive checkout across workers: every VU tried its login with its own account, the one
    // the seed gives that VU in one process. (The leaky server fails some logins' verification.)
    const logins = events.flatMap((e) => (e.type === 'login' ? [e] : []))
    expect([...new Set(logins.map((l) => l.vu))].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    const assigned = assignAccounts(users.length, 8, load.seed)
    for (const l of logins) {
      expect(l.account).toBe(users[assigned[l.vu]!]!.username)
    }
    expect(report.summary.login.loggedIn).toBe(logins.filter((l) => l.ok).length)

    expect(report.verdict).toBe('leak')
    expect(report.exitCode).toBe(1)
    expect(report.summary.virtualUsers).toBe(8)
    // The in-flight picture spans the workers: some leak's likely source ran in the other one.
    const crossed = leaks(report).filter((f) =>
      f.concurrent.some((c) => c.likelySource && c.vu % 2 !== f.vu % 2)
    )
    expect(crossed.length).toBeGreaterThan(0)
    for (const f of leaks(report)) {
      const sources = f.concurrent.filter((c) => c.likelySource).map((c) => c.account)
      expect(sources.length).toBeGreaterThan(0)
      expect(f.foreign.map((x) => x.id)).toEqual(expect.arrayContaining(sources))
    }

    // Merged counts agree with each other as in one process.
    const s = report.summary
    const stepResponses = s.steps.reduce((n, x) => n + x.responses, 0)
    expect(stepResponses).toBe(s.requests)
    expect(report.timeline.reduce((n, b) => n + b.requests, 0)).toBe(s.requests)
    expect(report.timeline.reduce((n, b) => n + b.leakingResponses, 0)).toBe(s.leaks.responses)
    expect(s.leaks.findings).toBeGreaterThanOrEqual(s.leaks.responses)
    expect(report.latencyPercentiles.at(-1)!.ms).toBe(s.latencyMs.max)

    const { scale, ...rest } = report
    expect(scale).toBeDefined()
    expect(single.scale).toBeUndefined()
    expect(reportForm(rest)).toEqual(reportForm(single))
  }, 60_000)

  test('a worker killed during the load is reported with its VUs and accounts; the other goes on; the verdict is inconclusive', async () => {
    const events: HuntEvent[] = []
    let killed: number | undefined
    const report = await hunt(
      servers.clean,
      { vus: 8, duration: '2500ms', seed: 'workers-crash' },
      {
        workers: 2,
        onEvent: (e) => {
          events.push(e)
          if (e.type === 'load-start') {
            setTimeout(() => {
              killed = workerPids()[0]
              process.kill(killed!, 'SIGKILL')
            }, 500)
          }
        },
      }
    )
    expect(killed).toBeDefined()
    const lost = report.scale!.lost
    expect(lost).toHaveLength(1)
    expect(report.summary).toBeDefined()
    const [gone] = lost
    expect(gone!.pid).toBe(killed)
    expect(gone!.signal).toBe('SIGKILL')
    expect(gone!.phase).toBe('load')
    expect(gone!.vus).toBe(4)
    // The accounts it had are those its VUs logged in with.
    const member = report.scale!.parts.find((p) => p.pid === killed)!
    const mine = events.flatMap((e) =>
      e.type === 'login' && e.ok && e.vu % 2 === member.slice.offset ? [e.account] : []
    )
    expect([...gone!.accounts].sort()).toEqual(mine.sort())
    expect(gone!.accountsOmitted).toBe(0)

    expect(report.verdict).toBe('inconclusive')
    expect(report.exitCode).toBe(5)
    expect(report.reasons).toContain(
      `worker ${gone!.index + 1} (pid ${killed}) was killed by SIGKILL during load: its 4 VU(s) (${gone!.accounts.join(', ')}) ran no more`
    )
    // The other worker ran the load to its end.
    expect(report.phases.find((p) => p.name === 'load')?.end).toBe('complete')
    const late = report.timeline.filter((b) => b.second >= 2)
    expect(late.reduce((n, b) => n + b.requests, 0)).toBeGreaterThan(0)
    expect(workerPids()).toEqual([])
  }, 60_000)

  test('an abort stops every worker at once and the report covers what they did', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const report = await hunt(
      servers.clean,
      { vus: 8, duration: '60s', seed: 'workers-abort' },
      {
        workers: 2,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'load-start') {
            setTimeout(() => controller.abort(), 400)
          }
        },
      }
    )
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(report.verdict).toBe('interrupted')
    expect(report.exitCode).toBe(130)
    expect(report.phases.find((p) => p.name === 'load')?.end).toBe('interrupted')
    expect(report.scale!.lost).toEqual([])
    // Both workers' figures came in: every VU logged in and load-phase pages were checked.
    expect(report.summary.login.loggedIn).toBe(8)
    const page = report.summary.steps.find((s) => s.phase === 'load')!
    expect(page.responses).toBeGreaterThan(8)
    expect(report.summary.errors).toBe(0)
    expect(workerPids()).toEqual([])
  }, 60_000)
})

test('Ctrl-C to the terminal (the whole process group) stops every worker, writes the report and exits 130', async () => {
  const dir = writeScenarioDir(
    users,
    scenarioFor('form', servers.clean.url, { vus: 4, duration: '60s' })
  )
  const child = spawn(
    process.execPath,
    [BIN, 'run', 'scenario.json', '--workers', '2', '--json', 'report.json'],
    { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stderr = ''
  let sent = false
  child.stdout.resume()
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
    const checked = /checked (\d+)/.exec(d.toString())
    if (!sent && checked !== null && Number(checked[1]) > 12) {
      sent = true
      // What a terminal does: SIGINT to every process of the foreground group.
      process.kill(-child.pid!, 'SIGINT')
    }
  })
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 40_000)
  const [code] = (await once(child, 'close')) as [number | null]
  clearTimeout(timer)
  expect(sent).toBe(true)
  expect(stderr).toContain('stopping')
  expect(code).toBe(130)
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as HuntReport
  expect(report.verdict).toBe('interrupted')
  expect(report.scale?.parts).toHaveLength(2)
  expect(report.scale?.lost).toEqual([])
  expect(report.summary.login.loggedIn).toBe(4)
  for (const { pid } of report.scale!.parts) {
    expect(() => process.kill(pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }))
  }
}, 60_000)

test('abortOnFail judges the merged live figures: the first leak in any worker stops them all', async () => {
  const started = Date.now()
  const report = await runHunt({
    scenario: scenarioFor('form', servers.leaky.url, {
      vus: 8,
      duration: '60s',
      seed: 'abort-fail',
    }),
    accountsCsv: usersCsv(users),
    workers: 2,
    abortOnFail: true,
  })
  expect(Date.now() - started).toBeLessThan(20_000)
  const load = report.phases.find((p) => p.name === 'load')
  expect(load?.end).toBe('aborted')
  expect(load?.detail).toBe('leaks failed with --abort-on-fail')
  expect(report.verdict).toBe('leak')
  expect(report.scale?.lost).toEqual([])
  expect(workerPids()).toEqual([])
}, 60_000)
