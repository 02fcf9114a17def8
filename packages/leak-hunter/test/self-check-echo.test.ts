// The hunter's own isolation, checked against an echo endpoint: a VU only ever sends its own
// cookies, with per-VU connections and with one shared pool; and a seed fixes the request order.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import type { HuntEvent } from '../src/index.js'
import { makeUsers, startFixtureServer, usersCsv } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { scenarioFor } from './fixtures/scenarios.js'

const users = makeUsers(24)
let server: FixtureServer

beforeAll(async () => {
  server = await startFixtureServer({ users })
})
afterAll(async () => {
  await server.close()
})

const echoPages = ['a', 'b', 'c'].map((p, i) => ({
  name: `echo-${p}`,
  path: `/echo?vu={{vu}}&p=${p}`,
  weight: i + 1,
  expectOwnMarker: false,
}))

async function hunt(
  seed: string,
  shareConnections: boolean
): Promise<{ events: HuntEvent[]; echoed: FixtureServer['echoed'] }> {
  server.echoed.length = 0
  const events: HuntEvent[] = []
  const report = await runHunt(
    {
      scenario: scenarioFor(
        'form',
        server.url,
        { vus: 12, iterations: 15, seed, shareConnections, connections: 3 },
        { pages: echoPages }
      ),
      accountsCsv: usersCsv(users),
    },
    { onEvent: (e) => events.push(e) }
  )
  expect(report.verdict).toBe('clean')
  expect(report.summary.errors).toBe(0)
  return { events, echoed: [...server.echoed] }
}

function sessionCookie(header: string): string {
  return /(?:^|; )sid=([^;]+)/.exec(header)?.[1] ?? ''
}

test.each([false, true])(
  "two VUs never send each other's cookies (shareConnections=%s)",
  async (share) => {
    const { echoed } = await hunt('echo', share)
    expect(echoed).toHaveLength(12 * 15)
    const byVu = new Map<string, Set<string>>()
    for (const e of echoed) {
      const sid = sessionCookie(e.cookie)
      expect(sid).not.toBe('')
      byVu.set(e.vu, (byVu.get(e.vu) ?? new Set()).add(sid))
    }
    expect(byVu.size).toBe(12)
    const owners = new Map<string, string>()
    for (const [vu, sids] of byVu) {
      // One session per VU for its whole life (jar never reset), and nobody else's.
      expect(sids.size).toBe(1)
      const sid = [...sids][0]!
      expect(owners.get(sid)).toBeUndefined()
      owners.set(sid, vu)
    }
  }
)

test('the same seed gives the same account assignment and request order', async () => {
  const order = (
    r: Awaited<ReturnType<typeof hunt>>
  ): { accounts: string[]; pages: Record<string, string> } => {
    const accounts = r.events
      .flatMap((e) => (e.type === 'login' ? [`${e.vu}:${e.account}`] : []))
      .sort()
    const pages: Record<string, string> = {}
    for (const e of r.echoed) {
      pages[e.vu] = (pages[e.vu] ?? '') + e.page
    }
    return { accounts, pages }
  }
  const first = order(await hunt('fixed-seed', false))
  const second = order(await hunt('fixed-seed', false))
  const other = order(await hunt('other-seed', false))
  expect(second).toEqual(first)
  expect(other.accounts).not.toEqual(first.accounts)
  expect(other.pages).not.toEqual(first.pages)
  // Weighted 1:2:3 across 180 picks: every page was visited.
  const all = Object.values(first.pages).join('')
  for (const page of ['a', 'b', 'c']) {
    expect(all).toContain(page)
  }
})
