// A run that checked too little must not say clean: servers on 127.0.0.1 that make nearly every
// request fail, or answer with bodies the detector cannot read, get `inconclusive` (exit 5).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import { MAX_COOKIES_PER_DOMAIN } from '../src/engine/set-cookie.js'
import { makeUsers, usersCsv } from './fixtures/fixture-server.js'
import { hostileScenario, startHostileServer } from './fixtures/hostile-server.js'
import type { HostileServer } from './fixtures/hostile-server.js'

const users = makeUsers(8)
let server: HostileServer

beforeAll(async () => {
  server = await startHostileServer(users)
})
afterAll(async () => {
  await server.close()
})

const hunt = (pages: unknown[], load: Record<string, unknown>, extra = {}) =>
  runHunt({
    scenario: hostileScenario(server.url, pages, { vus: 2, seed: 'silent', ...load }, extra),
    accountsCsv: usersCsv(users),
  })

// Regression (issue 11): 7,516 of 7,518 requests answered 431 because the target set 200 cookies
// per response and the jar grew without bound; the run said CLEAN, exit 0.
test('a target that sets 200 cookies per response: the jar stays bounded, drops are reported, the verdict is inconclusive', async () => {
  const report = await hunt([{ name: 'flood', path: '/flood', expect: 200 }], {
    duration: '1500ms',
  })
  expect(report.verdict).toBe('inconclusive')
  expect(report.exitCode).toBe(5)
  const evicted = report.summary.cookiesDropped.evicted!
  // Each flood response stores 200 cookies into a jar that keeps 180: the rest are evicted.
  expect(evicted.count).toBeGreaterThanOrEqual(2 * (200 - MAX_COOKIES_PER_DOMAIN))
  expect(evicted.names.length).toBeGreaterThan(0)
  // With 180 cookies of ~110 bytes the Cookie header passes Node's 16 KB limit: 431 for the rest.
  const flood = report.summary.steps.find((s) => s.name === 'flood')!
  expect(flood.messages[0]!.message).toMatch(/^GET \/flood returned (431|401), expected 200$/)
  expect(report.summary.errorRate).toBeGreaterThan(0.5)
  expect(report.reasons[0]).toMatch(
    /^inconclusive\.errorRate \d+(\.\d+)? % \([\d,]+ of [\d,]+\) above 10 % \(thresholds\.inconclusive\.errorRate\)$/
  )
  // The 431 pages do not show their owner either: they are unchecked as well as errors.
  expect(report.reasons[1]).toMatch(
    /^inconclusive\.unchecked .* pages without their owner's marker$/
  )
  expect(report.reasons[2]).toMatch(/^flood: GET \/flood returned (431|401), expected 200 \(/)
})

test('the limits are thresholds: raised error rate alone still leaves pages that show nobody', async () => {
  const page = [{ name: 'flood', path: '/flood', expect: 200 }]
  const errorsAllowed = await hunt(
    page,
    { duration: '800ms' },
    { thresholds: { inconclusive: { errorRate: 1 } } }
  )
  expect(errorsAllowed.verdict).toBe('inconclusive')
  expect(errorsAllowed.reasons[0]).toMatch(/^inconclusive\.unchecked /)
  const bothAllowed = await hunt(
    page,
    { duration: '800ms' },
    { thresholds: { inconclusive: { errorRate: 1, unchecked: 1 } } }
  )
  expect(bothAllowed.verdict).toBe('clean')
  expect(bothAllowed.thresholds.find((t) => t.name === 'inconclusive.errorRate')).toMatchObject({
    limit: 1,
    ok: true,
  })
})

// A page that should show its owner and shows nobody (the session expired, the login did not
// stick) can show no leak: a run of those proves nothing, though every status was as expected.
test('a run whose pages never show their owner is inconclusive, not clean', async () => {
  const report = await hunt([{ name: 'nobody', path: '/nobody', expect: 200 }], { iterations: 4 })
  expect(report.summary.errors).toBe(0)
  expect(report.summary.unchecked).toEqual({ truncated: 0, binary: 0, withoutOwner: 8 })
  expect(report.verdict).toBe('inconclusive')
  expect(report.reasons[0]).toMatch(
    /^inconclusive\.unchecked \d+(\.\d+)? % \(8 of 14\) above 10 % .*, 8 pages without their owner's marker$/
  )
  // Reported once per VU and page, counted every time.
  expect(report.summary.warnings).toBe(2)
})

test('pages of a binary type hold no text to check: inconclusive, counted as unchecked', async () => {
  const report = await hunt([{ name: 'image', path: '/image', expectOwnMarker: false }], {
    iterations: 5,
  })
  expect(report.verdict).toBe('inconclusive')
  expect(report.summary.unchecked).toEqual({ truncated: 0, binary: 10, withoutOwner: 0 })
  expect(report.reasons[0]).toContain('0 cut at load.maxBodyBytes, 10 of a binary type')
})

test('an endless body is cut at maxBodyBytes, ends the request at once, and counts as unchecked', async () => {
  const started = Date.now()
  const report = await hunt(
    [{ name: 'endless', path: '/endless', expectOwnMarker: false }],
    { iterations: 3, maxBodyBytes: 256 * 1024, timeout: '20s' },
    { thresholds: { inconclusive: { unchecked: 1 } } }
  )
  // Without the cut each request would read on until its 20 s deadline.
  expect(Date.now() - started).toBeLessThan(15_000)
  expect(report.summary.unchecked.truncated).toBe(6)
  expect(report.summary.errors).toBe(0)
  expect(report.verdict).toBe('clean')
})
