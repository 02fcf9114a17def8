// Issue 11, "False leaks on correct servers": a correct app that names other users on purpose (a
// public team panel on every page, the login form included; a team list in its API; numeric ids
// everywhere) must hunt clean, and a real leak on it must still be found. Real servers on 127.0.0.1.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import type { HuntReport } from '../src/index.js'
import { panelCsv, panelUsers, startPanelServer } from './fixtures/public-panel-server.js'
import type { PanelServer, PanelServerOptions } from './fixtures/public-panel-server.js'
import { runBin } from './fixtures/run-bin.js'

const users = panelUsers()
const TEAM = ['Ann Lee', 'Bob Jones', 'Pat O\u2019Brien']
const IDS = [{ column: 'userId', json: ['userId'], attribute: ['data-user-id'], path: ['users'] }]

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lh-false-leaks-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

function scenario(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    target: url,
    accounts: { file: 'accounts.csv', id: 'username', credentials: ['password'] },
    markers: { columns: ['displayName', 'email'], ids: IDS },
    login: [
      {
        name: 'login-form',
        path: '/login',
        expect: 200,
        extract: { csrf: { selector: 'input[name=_csrf]', attribute: 'value' } },
      },
      {
        name: 'login-submit',
        method: 'POST',
        path: '/login',
        form: {
          username: '{{account.username}}',
          password: '{{account.password}}',
          _csrf: '{{csrf}}',
        },
        expect: 303,
      },
      { name: 'verify-home', path: '/', verify: true },
    ],
    pages: [
      { name: 'home', path: '/' },
      { name: 'me', path: '/api/me' },
    ],
    order: 'sequence',
    load: { vus: 12, iterations: 6, seed: 'false-leaks' },
    ...extra,
  }
}

async function hunt(
  server: Omit<PanelServerOptions, 'users' | 'team'>,
  s: (url: string) => Record<string, unknown>,
  accounts = users
): Promise<HuntReport> {
  const app: PanelServer = await startPanelServer({ users, team: TEAM, ...server })
  try {
    return await runHunt({ scenario: s(app.url), accountsCsv: panelCsv(accounts) })
  } finally {
    await app.close()
  }
}

const leakPages = (r: HuntReport): string[] =>
  [...new Set(r.findings.filter((f) => f.severity === 'leak').map((f) => f.request.page))].sort()

describe('allowlists reach every response', () => {
  test('without an allowlist the public panel is reported on the login form, the verify page and every page', async () => {
    const r = await hunt({}, (url) => scenario(url))
    expect(r.verdict).toBe('leak')
    expect(leakPages(r)).toEqual(['home', 'login-form', 'me', 'verify-home'])
  })

  test('a scenario-wide allowlist (selector and JSON path) makes the correct server clean', async () => {
    const r = await hunt({}, (url) =>
      scenario(url, {
        allowlist: [{ selector: 'aside#team' }, { selector: 'section.recent' }, { json: 'team' }],
      })
    )
    expect(r.findings.filter((f) => f.severity === 'leak')).toEqual([])
    expect(r.summary.loginFailures).toBe(0)
    expect(r.summary.responsesChecked).toBe(12 * (3 + 6 * 2))
    expect(r.verdict).toBe('clean')
    expect(r.exitCode).toBe(0)
  })

  test('allowlists on login steps and pages work the same, each on its own responses', async () => {
    const html = [{ selector: 'aside#team' }, { selector: '.recent li' }]
    const r = await hunt({}, (url) => {
      const s = scenario(url)
      const login = (s.login as Array<Record<string, unknown>>).map((step) => ({
        ...step,
        allowlist: html,
      }))
      return {
        ...s,
        login,
        pages: [
          { name: 'home', path: '/', allowlist: html },
          { name: 'me', path: '/api/me', allowlist: { json: 'team[*]' } },
        ],
      }
    })
    expect(r.findings.filter((f) => f.severity === 'leak')).toEqual([])
    expect(r.verdict).toBe('clean')
  })

  test("a login step's allowlist does not reach pages", async () => {
    const r = await hunt({}, (url) => {
      const s = scenario(url)
      const login = (s.login as Array<Record<string, unknown>>).map((step) => ({
        ...step,
        allowlist: [{ selector: 'aside#team' }, { selector: 'section.recent' }],
      }))
      return { ...s, login }
    })
    expect(leakPages(r)).toEqual(['home', 'me'])
  })

  test('a verify page that names the owner only inside the allowlisted panel is a login failure', async () => {
    // The accounts are the team: each sees their own name in the aside of the login form.
    const team = users.filter((u) => TEAM.includes(u.displayName))
    const verifyOnLoginForm = (allowlist: unknown[]) => (url: string) => {
      const s = scenario(url, { allowlist })
      const login = s.login as Array<Record<string, unknown>>
      return {
        ...s,
        markers: { columns: ['displayName'] },
        login: [...login.slice(0, 2), { name: 'verify-login-form', path: '/login', verify: true }],
        load: { vus: 3, iterations: 1, seed: 'verify', loginRetries: 0 },
      }
    }
    const panel = [{ selector: 'aside#team' }, { selector: 'section.recent' }]
    const masked = await hunt({}, verifyOnLoginForm(panel), team)
    expect(masked.verdict).toBe('login-failed')
    expect(masked.summary.loginFailures).toBe(3)
    expect(masked.summary.leaks.findings).toBe(0)
    // Control: without the allowlist the panel does verify them (and shows the others: leaks).
    const unmasked = await hunt({}, verifyOnLoginForm([]), team)
    expect(unmasked.summary.loginFailures).toBe(0)
    expect(unmasked.verdict).toBe('leak')
  })
})

describe('allowlist masking respects name boundaries', () => {
  test('"Ann Lee" allowlisted by text does not hide a real leak of "Ann Leeds" on the same page', async () => {
    const r = await hunt({ leak: 'name', leakOf: 'user1' }, (url) =>
      scenario(url, {
        allowlist: ['Ann Lee', 'Bob Jones', { text: 'Pat O’Brien' }, { json: 'team' }],
      })
    )
    expect(r.verdict).toBe('leak')
    const leaks = r.findings.filter((f) => f.kind === 'foreign-identity')
    expect(leaks.length).toBeGreaterThan(0)
    expect(new Set(leaks.flatMap((f) => f.foreign.map((a) => `${a.id} ${a.marker}`)))).toEqual(
      new Set(['user1 Ann Leeds'])
    )
    expect(leaks.every((f) => f.request.page === 'home' || f.request.page === 'verify-home')).toBe(
      true
    )
  })
})

describe('identifiers as markers', () => {
  test("numeric ids in item ids and CSRF tokens are no leak; the id markers still see the owner's own", async () => {
    const r = await hunt({}, (url) =>
      scenario(url, {
        markers: { columns: ['email'], ids: IDS },
        allowlist: [{ json: 'team' }],
        pages: [
          { name: 'home', path: '/' },
          { name: 'me', path: '/api/me' },
        ],
      })
    )
    // The home page shows no e-mail: its owner is seen by data-user-id, /users/<id>/ and "userId".
    expect(r.findings).toEqual([])
    expect(r.verdict).toBe('clean')
  })

  test('another user\'s "userId" in an API response is a leak found by the id marker', async () => {
    const r = await hunt({ leak: 'id', leakOf: 'user5' }, (url) =>
      scenario(url, {
        allowlist: [{ selector: 'aside#team' }, { selector: 'section.recent' }, { json: 'team' }],
      })
    )
    expect(r.verdict).toBe('leak')
    const leaks = r.findings.filter((f) => f.kind === 'foreign-identity')
    expect(new Set(leaks.map((f) => f.request.page))).toEqual(new Set(['me']))
    for (const f of leaks) {
      expect(f.foreign).toEqual([{ index: 5, id: 'user5', column: 'userId', marker: '106' }])
      expect(f.excerpt?.before.endsWith('"userId":')).toBe(true)
    }
  })

  test('free-text matching refuses a numeric column at validation (exit 2) and says how to express it', async () => {
    const file = join(work, 'numeric.json')
    await writeFile(join(work, 'accounts.csv'), panelCsv(users))
    await writeFile(
      file,
      JSON.stringify(
        scenario('http://127.0.0.1:9', { markers: { columns: ['displayName', 'userId'] } })
      )
    )
    const { code, stderr } = await runBin(['run', file, '--quiet'])
    expect(code).toBe(2)
    expect(stderr).toContain('markers.columns[1]')
    expect(stderr).toContain('"userId": 16 of 16 values have no letter')
    expect(stderr).toContain('markers.ids: [{ column: userId, json: [userId] }]')
  })
})
