// leak-hunter against @crosstalk/homepage, real processes on 127.0.0.1: the correct build is clean
// under load, the story's bug and every fault switch are caught.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { loadScenario, runHunt } from '@crosstalk/leak-hunter'
import type { HuntEvent, HuntReport } from '@crosstalk/leak-hunter'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BUGGY, FAULTS } from '../demo/src/demo-modes.js'
import { seedAccounts, startHomepage, stopAllHomepages } from '../demo/src/homepage-process.js'
import type { HomepageServer } from '../demo/src/homepage-process.js'
import { SCENARIO_FILE } from '../demo/src/run-demo.js'
import { hunterBin } from './hunter-cli.js'
import { expectWellAttributed } from './leak-evidence.js'

let work: string
let db: string
let accounts: string
let accountRows: Map<string, Readonly<Record<string, string>>>

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crosstalk-e2e-'))
  db = join(work, 'homepage.db')
  accounts = join(work, 'accounts.csv')
  await seedAccounts({ users: 200, db, accounts, seed: 11 })
  const scenario = await loadScenario({
    scenario: SCENARIO_FILE,
    overrides: { accountsFile: accounts },
  })
  accountRows = new Map(scenario.accounts.map((a) => [a.id, a.fields]))
})

afterAll(async () => {
  await stopAllHomepages()
  await rm(work, { recursive: true, force: true })
})

async function withServer<T>(
  args: string[],
  fn: (server: HomepageServer) => Promise<T>
): Promise<T> {
  const server = await startHomepage(['--db', db, '--renderers', '2', '--production', ...args])
  try {
    return await fn(server)
  } finally {
    await server.stop()
  }
}

/** Runs the built leak-hunter CLI; resolves with its exit code and the JSON report it wrote. */
async function huntWithCli(
  target: string,
  extra: string[]
): Promise<{ code: number; report: HuntReport; events: HuntEvent[] }> {
  const json = join(work, `report-${Date.now()}.json`)
  const ndjson = join(work, `events-${Date.now()}.ndjson`)
  const args = [
    hunterBin,
    'run',
    SCENARIO_FILE,
    '--target',
    target,
    '--accounts',
    accounts,
    '--json',
    json,
    '--events',
    ndjson,
    '--quiet',
    ...extra,
  ]
  const code = await promisify(execFile)(process.execPath, args, {
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    () => 0,
    (err: { code?: unknown }) => (typeof err.code === 'number' ? err.code : -1)
  )
  const events = (await readFile(ndjson, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as HuntEvent)
  return { code, report: JSON.parse(await readFile(json, 'utf8')) as HuntReport, events }
}

describe('leak-hunter vs homepage', () => {
  test('default (correlated) build: 64 virtual users, at least 20,000 responses checked, 0 leaks, exit 0', async () => {
    const { code, report } = await withServer(['--render-delay', '0-5'], (s) =>
      huntWithCli(s.url, [
        '--vus',
        '64',
        '--iterations',
        '320',
        '--duration',
        '120s',
        '--seed',
        'e2e-clean',
      ])
    )
    expect(report.summary.loginFailures).toBe(0)
    expect(report.summary.virtualUsers).toBe(64)
    expect(report.summary.responsesChecked).toBeGreaterThanOrEqual(20_000)
    expect(report.summary.leaks.responses).toBe(0)
    expect(report.findings.filter((f) => f.severity === 'leak')).toEqual([])
    expect(report.verdict).toBe('clean')
    expect(code).toBe(0)
  }, 150_000)

  test('--ipc naive (its defaults): a leak is found within 2 s, the evidence names the right users, exit 1', async () => {
    const { code, report, events } = await withServer(BUGGY.args, (s) =>
      huntWithCli(s.url, ['--vus', '32', '--duration', '4s', '--seed', 'e2e-naive'])
    )
    expect(report.verdict).toBe('leak')
    expect(code).toBe(1)
    expect(report.summary.leaks.responses).toBeGreaterThan(0)
    const first = report.findings.find((f) => f.kind === 'foreign-identity')
    expect(first).toBeDefined()
    expectWellAttributed(first!, accountRows)
    // The load phase starts once every virtual user has logged in.
    const time = (e: HuntEvent): number => Date.parse(e.t)
    const loadStart = events.find((e) => e.type === 'load-start')
    const firstLeak = events.find((e) => e.type === 'finding' && e.finding.severity === 'leak')
    expect(loadStart).toBeDefined()
    expect(firstLeak).toBeDefined()
    expect(time(firstLeak!) - time(loadStart!)).toBeLessThan(2_000)
  }, 60_000)

  test('--ipc naive, hunted with --workers 2: caught within 2 s with the same evidence, sources named across the workers', async () => {
    const { code, report, events } = await withServer(BUGGY.args, (s) =>
      huntWithCli(s.url, [
        '--vus',
        '32',
        '--duration',
        '4s',
        '--seed',
        'e2e-naive',
        '--workers',
        '2',
      ])
    )
    expect(report.scale?.parts).toHaveLength(2)
    expect(report.scale?.lost).toEqual([])
    expect(report.verdict).toBe('leak')
    expect(code).toBe(1)
    expect(report.summary.login.loggedIn).toBe(32)
    const leaks = report.findings.filter((f) => f.kind === 'foreign-identity')
    expect(leaks.length).toBeGreaterThan(0)
    expectWellAttributed(leaks[0]!, accountRows)
    // A leak whose source ran in the other worker process is attributed as well.
    const crossed = leaks.find((f) =>
      f.concurrent.some(
        (c) => c.likelySource && c.vu % 2 !== f.vu % 2 && f.foreign.some((x) => x.id === c.account)
      )
    )
    expect(crossed).toBeDefined()
    expectWellAttributed(crossed!, accountRows)
    const time = (e: HuntEvent): number => Date.parse(e.t)
    const loadStart = events.find((e) => e.type === 'load-start')
    const firstLeak = events.find((e) => e.type === 'finding' && e.finding.severity === 'leak')
    expect(time(firstLeak!) - time(loadStart!)).toBeLessThan(2_000)
  }, 60_000)

  for (const fault of FAULTS) {
    test(`${fault.label} alone (its defaults): every VU logs in, a leak is found within 2 s of load start`, async () => {
      const events: HuntEvent[] = []
      const report = await withServer(fault.args, (s) =>
        runHunt(
          {
            scenario: SCENARIO_FILE,
            overrides: {
              target: s.url,
              accountsFile: accounts,
              vus: 32,
              duration: '4s',
              seed: `e2e-${fault.id}`,
            },
          },
          { onEvent: (e) => events.push(e) }
        )
      )
      expect(report.verdict).toBe('leak')
      expect(report.summary.leaks.responses).toBeGreaterThan(0)
      // The fault hurts the load phase, where a signed-in user would see it, not the logins.
      const loadStart = events.find((e) => e.type === 'load-start')
      expect(loadStart?.type === 'load-start' ? loadStart.loggedIn : 0).toBe(32)
      expect(report.summary.loginFailures).toBe(0)
      const firstLeak = events.find((e) => e.type === 'finding' && e.finding.severity === 'leak')
      const afterMs = Date.parse(firstLeak!.t) - Date.parse(loadStart!.t)
      expect(afterMs).toBeGreaterThanOrEqual(0)
      expect(afterMs).toBeLessThan(2_000)
    }, 60_000)
  }
})
