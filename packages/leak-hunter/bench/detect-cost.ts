import { randomBytes } from 'node:crypto'
import { Allowlist } from '@crosstalk/detect'
import type { AllowlistRule } from '@crosstalk/detect'
import { createDetector } from '../src/detect/detector.js'
import type { DetectorOptions } from '../src/detect/detector.js'
import { buildMarkerIndex } from '../src/detect/marker-index.js'
import type { ResponseSample } from '../src/detect/types.js'
import { BENCH_MARKERS, makeBenchAccounts } from './bench-accounts.js'
import { benchPage } from './bench-page.js'

export interface DetectCost {
  accounts: number
  buildMs: number
  /** CPU milliseconds of the build (wall time suffers most when the cores are shared). */
  buildCpuMs: number
  pageBytes: number
  /** CPU microseconds per detector.inspect() (normalise, scan, findings) of one page... */
  inspectUs: {
    /** ...scanned in full every time (no scan cache). */
    full: number
    /** ...that differs from the VU's last copy in its CSRF token and render time (a rescan). */
    changed: number
    /** ...byte for byte the VU's last copy. */
    same: number
  }
  /**
   * CPU microseconds per inspect() of the page with a public "team" aside naming three other
   * accounts, changed since the VU's last copy, under an allowlist that covers the aside.
   */
  allowlistUs: { text: number; selector: number }
}

/** CPU time of detection alone, per response, on the bench page: robust when the cores are shared. */
export function measureDetectCost(accounts: number, rounds = 20_000): DetectCost {
  const list = makeBenchAccounts(accounts).map((a, index) => ({
    index,
    id: a.username,
    fields: { displayName: a.displayName, email: a.email, userId: a.userId },
  }))
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const index = buildMarkerIndex(list, { ...BENCH_MARKERS, caseInsensitive: false, minLength: 3 })
  const buildMs = performance.now() - t0
  const buildCpu = process.cpuUsage(cpu0)
  const owner = 5
  const account = makeBenchAccounts(owner + 1)[owner]!
  // Bytes, as the engine hands them over: decoding to a string is part of what is not done.
  const bodies = Array.from({ length: 256 }, (_, i) =>
    Buffer.from(
      benchPage(account, randomBytes(16).toString('hex'), new Date(Date.now() + i).toISOString())
    )
  )
  const sample: ResponseSample = {
    vu: 1,
    owner,
    page: 'home',
    method: 'GET',
    url: 'http://127.0.0.1/',
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: bodies[0]!,
    time: Date.now(),
    expectOwnMarker: true,
    concurrent: [],
    setCookies: [],
  }
  /** CPU µs per inspect() of bodies(i) for i in 0..rounds. */
  const cost = (
    options: DetectorOptions,
    body: (i: number) => Buffer,
    allowlist?: AllowlistRule[]
  ): number => {
    const detector = createDetector(index, list, options)
    sample.allowlist =
      allowlist === undefined ? undefined : new Allowlist(allowlist, { caseInsensitive: false })
    const inspect = (i: number): void => {
      sample.body = body(i)
      if (detector.inspect(sample).length !== 0) {
        throw new Error('the bench page should be clean for its owner')
      }
    }
    for (let i = 0; i < 2000; i++) {
      inspect(i)
    }
    const before = process.cpuUsage()
    for (let i = 0; i < rounds; i++) {
      inspect(i)
    }
    const used = process.cpuUsage(before)
    return (used.user + used.system) / rounds
  }
  const changing = (i: number): Buffer => bodies[i % bodies.length]!
  const team = [1, 2, 3].map((i) => makeBenchAccounts(owner + 1 + i)[owner + i]!.displayName)
  const aside = `<aside id="team"><h2>Support team</h2><ul>${team.map((n) => `<li>${n.replace(/'/g, '&#39;')}</li>`).join('')}</ul></aside><main>`
  const teamBodies = bodies.map((b) => Buffer.from(b.toString('utf8').replace('<main>', aside)))
  const withTeam = (i: number): Buffer => teamBodies[i % teamBodies.length]!
  return {
    accounts,
    buildMs,
    buildCpuMs: (buildCpu.user + buildCpu.system) / 1000,
    pageBytes: bodies[0]!.length,
    inspectUs: {
      full: cost({ scanCacheBytes: 0 }, changing),
      changed: cost({}, changing),
      same: cost({}, () => bodies[0]!),
    },
    allowlistUs: {
      text: cost(
        {},
        withTeam,
        team.map((text) => ({ text }))
      ),
      selector: cost({}, withTeam, [{ selector: 'aside#team' }]),
    },
  }
}
