// The demo's logic, end to end: the naive build leaks with the right evidence, the fix does not.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { BUGGY, FIXED } from '../demo/src/demo-modes.js'
import { describeLeak } from '../demo/src/describe-demo.js'
import { runDemo } from '../demo/src/run-demo.js'
import { expectWellAttributed } from './leak-evidence.js'

const reportsDir = await mkdtemp(join(tmpdir(), 'crosstalk-demo-test-'))
afterAll(() => rm(reportsDir, { recursive: true, force: true }))

test('naive IPC leaks with the right evidence; correlated IPC, same seed and time, leaks nothing', async () => {
  const [buggy, fixed] = await runDemo({ modes: [BUGGY, FIXED], reportsDir, boundMs: 8_000 })

  expect(buggy?.mode).toBe(BUGGY)
  expect(buggy!.report.summary.leaks.responses).toBeGreaterThan(0)
  expect(buggy!.report.exitCode).toBe(1)
  expect(buggy!.firstLeak).toBeDefined()
  expectWellAttributed(buggy!.firstLeak!)
  expect(describeLeak(buggy!.firstLeak!)).toMatch(
    /^\S+ asked for their page \(GET \/\) and got the one for .+ \(\S+\)$/
  )

  expect(fixed?.mode).toBe(FIXED)
  // Every virtual user logged in and checked pages over and over; none of them saw another user.
  expect(fixed!.report.summary.loginFailures).toBe(0)
  expect(fixed!.report.summary.responsesChecked).toBeGreaterThan(32 * 5)
  expect(fixed!.report.summary.leaks.responses).toBe(0)
  expect(fixed!.report.findings.filter((f) => f.severity === 'leak')).toEqual([])
  expect(fixed!.report.exitCode).toBe(0)
  expect(fixed!.report.seed).toBe(buggy!.report.seed)

  for (const r of [buggy!, fixed!]) {
    expect((await stat(r.htmlReport)).size).toBeGreaterThan(1000)
  }
}, 90_000)
