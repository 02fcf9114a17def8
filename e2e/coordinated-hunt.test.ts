// `leak-hunter coordinate` and `leak-hunter agent` as a user runs them on several machines: here
// N agent processes and a coordinator process against one target on 127.0.0.1, linked by a real
// redis-server this file starts on a free port.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { HuntEvent, HuntReport } from '@crosstalk/leak-hunter'
import { describe, expect, test } from 'vitest'
import { useRedis } from '../packages/homepage/test/helpers/redis-server.js'
import { makeUsers, usersCsv } from '../packages/leak-hunter/test/fixtures/fixture-server.js'
import { useLeakyAndClean } from '../packages/leak-hunter/test/fixtures/leaky-and-clean.js'
import { scenarioFor, writeScenarioDir } from '../packages/leak-hunter/test/fixtures/scenarios.js'
import { hunterBin } from './hunter-cli.js'

const redis = useRedis()
const users = makeUsers(24)
const servers = useLeakyAndClean(users)

interface Proc {
  child: ChildProcess
  done: Promise<{ code: number | null; stdout: string; stderr: string }>
}

function hunter(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [hunterBin, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000)
  const done = once(child, 'close').then(([code]) => {
    clearTimeout(timer)
    return { code: code as number | null, stdout, stderr }
  })
  return { child, done }
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T
}

function events(dir: string, file: string): HuntEvent[] {
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as HuntEvent)
}

/** Calls `then` once the NDJSON event file at `path` has a load-start event (polled). */
function whenLoadStarts(path: string, then: () => void): { stop(): void } {
  const timer = setInterval(() => {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      return
    }
    if (text.includes('"load-start"')) {
      clearInterval(timer)
      then()
    }
  }, 100)
  return { stop: () => clearInterval(timer) }
}

describe.skipIf(redis.skip !== undefined)('coordinate + agent over Redis', () => {
  test("three agents (one with 2 workers) start together; the coordinator merges one report, exit 1 on a leak (regression: an agent's workers ran without the coordinator's load flags)", async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', servers.leaky.url, { vus: 4 }))
    const run = ['--redis', redis.url, '--run-id', 'leaky']
    // Agents first, as a Job's pods may start before the coordinator's.
    const agents = [
      hunter(['agent', 'scenario.json', ...run], dir),
      hunter(['agent', 'scenario.json', ...run, '--workers', '2'], dir),
      hunter(['agent', 'scenario.json', ...run], dir),
    ]
    const coordinator = hunter(
      [
        'coordinate',
        'scenario.json',
        ...run,
        '--agents',
        '3',
        '--vus',
        '12',
        '--duration',
        '1500ms',
      ].concat(['--seed', 'coord', '--json', 'report.json', '--events', 'events.ndjson', '-q']),
      dir
    )
    const c = await coordinator.done
    const a = await Promise.all(agents.map((p) => p.done))
    expect(c.stderr).toBe('')
    expect(c.code).toBe(1)
    expect(a.map((r) => r.code)).toEqual([0, 0, 0])
    const report = readJson<HuntReport>(dir, 'report.json')
    expect(report.verdict).toBe('leak')
    expect(report.scale?.mode).toBe('coordinated')
    expect(report.scale?.lost).toEqual([])
    expect(report.scale?.parts.map((p) => [p.kind, p.slice, p.vus])).toEqual([
      ['agent', { offset: 0, stride: 3 }, 4],
      ['agent', { offset: 1, stride: 3 }, 4],
      ['agent', { offset: 2, stride: 3 }, 4],
    ])
    const pids = agents.map((p) => p.child.pid).sort()
    expect(report.scale!.parts.map((p) => p.pid).sort()).toEqual(pids)
    expect(report.summary.virtualUsers).toBe(12)
    // Every VU of the run logged in once, in one agent, each with its own account.
    const logins = events(dir, 'events.ndjson').flatMap((e) => (e.type === 'login' ? [e] : []))
    expect([...new Set(logins.map((l) => l.vu))].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 12 }, (_, i) => i)
    )
    const accountOf = new Map<number, string>()
    for (const l of logins) {
      expect(accountOf.get(l.vu) ?? l.account).toBe(l.account)
      accountOf.set(l.vu, l.account)
    }
    expect(new Set(accountOf.values()).size).toBe(12)
    // The phases ran together: the load started once every agent had logged in.
    const phases = report.phases.map((p) => [p.name, p.end])
    expect(phases).toEqual([
      ['connect', 'complete'],
      ['login', 'complete'],
      ['load', 'complete'],
      ['drain', 'complete'],
    ])
    // The coordinator's --duration reached every agent's workers too.
    expect(report.phases.find((p) => p.name === 'load')!.ms).toBeLessThan(10_000)
    const s = report.summary
    expect(s.steps.reduce((n, x) => n + x.responses, 0)).toBe(s.requests)
    expect(report.timeline.reduce((n, b) => n + b.requests, 0)).toBe(s.requests)
    expect(s.leaks.responses).toBeGreaterThan(0)
    expect(report.findings.length).toBeGreaterThan(0)
  }, 60_000)

  test('--abort-on-fail: the first leak stops every agent at once', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', servers.leaky.url, { vus: 6 }))
    const run = ['--redis', redis.url, '--run-id', 'abort']
    const agents = [1, 2].map(() => hunter(['agent', 'scenario.json', ...run], dir))
    const started = Date.now()
    const c = await hunter(
      [
        'coordinate',
        'scenario.json',
        ...run,
        '--agents',
        '2',
        '--duration',
        '60s',
        '--abort-on-fail',
      ].concat(['--json', 'report.json', '-q']),
      dir
    ).done
    const a = await Promise.all(agents.map((p) => p.done))
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(c.code).toBe(1)
    expect(a.map((r) => r.code)).toEqual([0, 0])
    const report = readJson<HuntReport>(dir, 'report.json')
    const load = report.phases.find((p) => p.name === 'load')
    expect(load?.end).toBe('aborted')
    expect(load?.detail).toBe('leaks failed with --abort-on-fail')
    expect(report.verdict).toBe('leak')
  }, 60_000)

  test('an agent killed during the load is lost by heartbeat, with its VUs and accounts; the verdict is inconclusive', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', servers.clean.url, { vus: 4 }))
    const run = ['--redis', redis.url, '--run-id', 'loss']
    const agents = [1, 2].map(() => hunter(['agent', 'scenario.json', ...run], dir))
    const coordinator = hunter(
      [
        'coordinate',
        'scenario.json',
        ...run,
        '--agents',
        '2',
        '--duration',
        '5s',
        '--seed',
        'loss',
      ].concat(['--heartbeat-timeout', '1500ms', '--json', 'report.json', '--events', 'e.ndjson']),
      dir
    )
    // Kill the first agent half a second into the load (the coordinator's events say when).
    let victim: number | undefined
    const poll = whenLoadStarts(join(dir, 'e.ndjson'), () => {
      victim = agents[0]!.child.pid
      setTimeout(() => agents[0]!.child.kill('SIGKILL'), 500)
    })
    const c = await coordinator.done
    poll.stop()
    const other = await agents[1]!.done
    expect(victim).toBeDefined()
    expect(other.code).toBe(0)
    expect(c.code).toBe(5)
    const report = readJson<HuntReport>(dir, 'report.json')
    const lost = report.scale!.lost
    expect(lost).toHaveLength(1)
    expect(lost[0]!.pid).toBe(victim)
    expect(lost[0]!.kind).toBe('agent')
    expect(lost[0]!.reason).toBe('sent nothing for 1.5 s (heartbeat)')
    expect(lost[0]!.vus).toBe(2)
    const slice = report.scale!.parts.find((p) => p.pid === victim)!.slice
    const mine = events(dir, 'e.ndjson').flatMap((e) =>
      e.type === 'login' && e.ok && e.vu % 2 === slice.offset ? [e.account] : []
    )
    expect([...lost[0]!.accounts].sort()).toEqual(mine.sort())
    expect(report.verdict).toBe('inconclusive')
    expect(report.reasons.join('\n')).toContain(`(pid ${victim}`)
    expect(report.phases.find((p) => p.name === 'load')?.end).toBe('complete')
  }, 60_000)

  test('Ctrl-C on an agent: it hands over its figures and exits 130; the coordinator reports its VUs as lost', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', servers.clean.url, { vus: 4 }))
    const run = ['--redis', redis.url, '--run-id', 'sigint']
    const agents = [1, 2].map(() => hunter(['agent', 'scenario.json', ...run], dir))
    const coordinator = hunter(
      ['coordinate', 'scenario.json', ...run, '--agents', '2', '--duration', '4s'].concat([
        '--json',
        'report.json',
        '--events',
        'e.ndjson',
      ]),
      dir
    )
    const poll = whenLoadStarts(join(dir, 'e.ndjson'), () => {
      setTimeout(() => agents[0]!.child.kill('SIGINT'), 500)
    })
    const c = await coordinator.done
    poll.stop()
    const [first, second] = await Promise.all(agents.map((p) => p.done))
    expect(first!.code).toBe(130)
    expect(second!.code).toBe(0)
    expect(c.code).toBe(5)
    const report = readJson<HuntReport>(dir, 'report.json')
    expect(report.scale!.lost.map((l) => [l.pid, l.reason])).toEqual([
      [agents[0]!.child.pid, 'stopped early: this agent was interrupted'],
    ])
    // Its figures until the stop count.
    expect(report.summary.login.loggedIn).toBe(4)
  }, 60_000)

  test('the coordinator killed: its agents stop on the missed beats and exit 3', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', servers.clean.url, { vus: 2 }))
    const run = ['--redis', redis.url, '--run-id', 'orphans']
    const agent = hunter(['agent', 'scenario.json', ...run, '--heartbeat-timeout', '1500ms'], dir)
    const coordinator = hunter(
      ['coordinate', 'scenario.json', ...run, '--agents', '1', '--duration', '60s'].concat([
        '--events',
        'e.ndjson',
      ]),
      dir
    )
    const poll = whenLoadStarts(join(dir, 'e.ndjson'), () => {
      coordinator.child.kill('SIGKILL')
    })
    await coordinator.done
    poll.stop()
    const started = Date.now()
    const a = await agent.done
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(a.code).toBe(3)
    expect(a.stderr).toContain('stopped: the coordinator sent nothing for 1.5 s')
  }, 60_000)

  test('agents that do not join in time, or whose accounts differ, stop the run before it starts (exit 2)', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', servers.clean.url, { vus: 4 }))
    const late = await hunter(
      [
        'coordinate',
        'scenario.json',
        '--redis',
        redis.url,
        '--run-id',
        'late',
        '--agents',
        '2',
        '--wait',
        '1s',
      ],
      dir
    ).done
    expect(late.code).toBe(2)
    expect(late.stderr).toContain(
      'HUNT_ERR_COORDINATION: 0 of 2 agents joined run "late" within 1 s'
    )

    const other = writeScenarioDir(
      users.slice(0, 20),
      scenarioFor('form', servers.clean.url, { vus: 4 })
    )
    writeFileSync(join(other, 'accounts.csv'), usersCsv(users.slice(0, 20)))
    const run = ['--redis', redis.url, '--run-id', 'mismatch']
    const agent = hunter(['agent', 'scenario.json', ...run], other)
    const c = await hunter(['coordinate', 'scenario.json', ...run, '--agents', '1'], dir).done
    const a = await agent.done
    expect(c.code).toBe(2)
    expect(c.stderr).toContain("its scenario or accounts differ from the coordinator's")
    expect(a.code).toBe(2)
    expect(a.stderr).toContain('HUNT_ERR_COORDINATION')
  }, 60_000)

  test('without Redis: a clear error naming the address (exit 3)', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', servers.clean.url, { vus: 2 }))
    const r = await hunter(
      ['agent', 'scenario.json', '--redis', 'redis://127.0.0.1:9', '--wait', '1s'],
      dir
    ).done
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(
      'HUNT_ERR_REDIS_UNREACHABLE: cannot connect to Redis at redis://127.0.0.1:9'
    )
  }, 30_000)
})
