// The guard proven by the hunter, real processes on 127.0.0.1: for the story's bug and every fault
// switch, `--guard block` lets no leak reach the client while its counter shows it stopped them,
// and `--guard report` lets the hunter find the leaks it counts.
//
// The margin, report mode: hunter <= guard <= hunter + cutOff + unanswered. The guard counts a
// leaking response when the server has built it; the hunter when the client has read it. The two
// differ only by responses the client never read whole: those in flight when the hunt stopped
// (cutOff) and those whose connection failed (unanswered). Every leaked page carries the display
// name and email of an active identity (it was rendered for a signed-in user), so the guard
// misses none the hunter sees. Block mode, the same bound holds for the hunter's 500s.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadScenario, runHunt } from '@crosstalk/leak-hunter'
import type { GuardStats } from '@crosstalk/guard'
import type { HuntReport } from '@crosstalk/leak-hunter'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BUGGY, FAULTS } from '../demo/src/demo-modes.js'
import { seedAccounts, startHomepage, stopAllHomepages } from '../demo/src/homepage-process.js'
import { SCENARIO_FILE } from '../demo/src/run-demo.js'

let work: string
let db: string
let accounts: string
let markerValues: string[]

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crosstalk-guard-e2e-'))
  db = join(work, 'homepage.db')
  accounts = join(work, 'accounts.csv')
  await seedAccounts({ users: 200, db, accounts, seed: 16 })
  const scenario = await loadScenario({
    scenario: SCENARIO_FILE,
    overrides: { accountsFile: accounts },
  })
  markerValues = scenario.accounts.flatMap((a) => [
    a.fields.displayName ?? '',
    a.fields.email ?? '',
  ])
})

afterAll(async () => {
  await stopAllHomepages()
  await rm(work, { recursive: true, force: true })
})

const VUS = 32

/** Hunts a homepage started with `args`; returns the hunt's report, the guard's stats and the server's stderr. */
async function hunt(
  args: string[],
  seed: string
): Promise<{ report: HuntReport; stats: GuardStats; stderr: string }> {
  const server = await startHomepage(['--db', db, '--renderers', '2', '--production', ...args])
  let report: HuntReport
  try {
    report = await runHunt({
      scenario: SCENARIO_FILE,
      overrides: { target: server.url, accountsFile: accounts, vus: VUS, duration: '4s', seed },
    })
  } finally {
    await server.stop()
  }
  const stderr = server.stderr()
  const line = /homepage: guard stats (\{.*\})/.exec(stderr)?.[1]
  expect(line, `no guard stats line in:\n${stderr}`).toBeDefined()
  return { report, stats: JSON.parse(line!) as GuardStats, stderr }
}

/** Home page responses the hunter saw with status 500 (the guard's withheld pages). */
function served500(report: HuntReport): number {
  return report.summary.steps
    .flatMap((s) => s.messages)
    .filter((m) => / returned 500,/.test(m.message))
    .reduce((n, m) => n + m.count, 0)
}

describe('guard vs homepage, every leak class', () => {
  for (const mode of [BUGGY, ...FAULTS]) {
    test(`${mode.label}, --guard block: 0 leaks reach the client; the guard counts what it stopped`, async () => {
      const { report, stats, stderr } = await hunt(
        [...mode.args, '--guard', 'block'],
        `guard-block-${mode.id}`
      )
      expect(report.summary.loginFailures).toBe(0)
      expect(report.summary.leaks.responses).toBe(0)
      expect(report.findings.filter((f) => f.severity === 'leak')).toEqual([])
      expect(stats.mode).toBe('block')
      expect(stats.errors).toBe(0)
      expect(stats.blocked).toBeGreaterThan(0)
      const slack = report.summary.cutOff + report.summary.unanswered
      expect(stats.blocked).toBeGreaterThanOrEqual(served500(report))
      expect(stats.blocked).toBeLessThanOrEqual(served500(report) + slack)
      for (const value of markerValues) {
        expect(stderr).not.toContain(value)
      }
    }, 90_000)

    test(`${mode.label}, --guard report: the hunter finds the leaks, and the guard's count agrees within the in-flight margin`, async () => {
      const { report, stats } = await hunt(
        [...mode.args, '--guard', 'report'],
        `guard-report-${mode.id}`
      )
      expect(stats.mode).toBe('report')
      expect(stats.errors).toBe(0)
      expect(stats.blocked).toBe(0)
      const found = report.summary.leaks.responses
      expect(found).toBeGreaterThan(0)
      expect(stats.reported).toBeGreaterThanOrEqual(found)
      expect(stats.reported).toBeLessThanOrEqual(
        found + report.summary.cutOff + report.summary.unanswered
      )
    }, 90_000)
  }

  test('the correlated build guards by default (block) and blocks nothing', async () => {
    const { report, stats } = await hunt([], 'guard-clean')
    expect(report.summary.leaks.responses).toBe(0)
    expect(stats).toMatchObject({ mode: 'block', blocked: 0, errors: 0, leaks: 0 })
    expect(stats.scanned).toBeGreaterThan(1000)
    expect(stats.identities).toBe(VUS)
  }, 90_000)
})
