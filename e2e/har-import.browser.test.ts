// HAR import end to end: Chromium records a real session on the homepage (log in, visit pages,
// log out), `leak-hunter init --har` turns it into a scenario, and that scenario hunts the
// correct build clean and catches the story's bug under --ipc naive.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadScenario } from '@crosstalk/leak-hunter'
import type { HuntReport } from '@crosstalk/leak-hunter'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { seedAccounts, startHomepage, stopAllHomepages } from '../demo/src/homepage-process.js'
import type { HomepageServer } from '../demo/src/homepage-process.js'
import { runHunter } from './hunter-cli.js'

let work: string
let db: string
let accounts: string
let correct: HomepageServer
let naive: HomepageServer
let recorded: { username: string; password: string }

/** Log in through the real form, visit the home page and /api/me, log out; the HAR is saved on close. */
async function recordSession(url: string, harPath: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
  try {
    const context = await browser.newContext({ recordHar: { path: harPath } })
    const page = await context.newPage()
    await page.goto(`${url}/`)
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.fill('#username', recorded.username)
    await page.fill('#password', recorded.password)
    await Promise.all([page.waitForURL(`${url}/`), page.click('button[type="submit"]')])
    await page.goto(`${url}/api/me`)
    await page.goto(`${url}/`)
    await Promise.all([page.waitForURL(`${url}/login`), page.click('form.logout button')])
    await context.close()
  } finally {
    await browser.close()
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crosstalk-har-'))
  db = join(work, 'homepage.db')
  accounts = join(work, 'accounts.csv')
  await seedAccounts({ users: 40, db, accounts, seed: 12 })
  const [, row] = (await readFile(accounts, 'utf8')).split('\n')
  const [username, password] = row!.split(',')
  recorded = { username: username!, password: password! }
  ;[correct, naive] = await Promise.all([
    startHomepage(['--db', db, '--renderers', '2', '--production', '--render-delay', '0-5']),
    startHomepage([
      '--db',
      db,
      '--renderers',
      '2',
      '--production',
      '--ipc',
      'naive',
      '--render-delay',
      '0-25',
    ]),
  ])
  await recordSession(correct.url, join(work, 'session.har'))
}, 120_000)

afterAll(async () => {
  await stopAllHomepages()
  await rm(work, { recursive: true, force: true })
})

describe('leak-hunter init --har with a Chromium recording of the homepage', () => {
  test('the scenario logs in with a correlated CSRF token and never contains the recorded password', async () => {
    const r = await runHunter(['init', '--har', 'session.har', '--out', 'scenario.yaml'], work)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    // The seeded CSV was there already: init keeps it.
    expect(r.stdout).toContain('kept the existing accounts.csv')
    expect(r.stdout).toMatch(
      /guessed: csrf: the hidden input _csrf of GET \/login, sent as form field _csrf of POST \/login/
    )
    expect(r.stdout).toMatch(/POST \/logout looks like a logout: left out/)
    const yaml = await readFile(join(work, 'scenario.yaml'), 'utf8')
    expect(yaml).not.toContain(recorded.password)
    const scenario = await loadScenario({ scenario: join(work, 'scenario.yaml') })
    expect(scenario.target.origin).toBe(correct.url)
    expect(scenario.login.map((s) => `${s.method} ${s.path.source}`)).toEqual([
      'GET /login',
      'POST /login',
      'GET /',
    ])
    expect(scenario.login[0]!.extract).toEqual([
      { name: 'csrf', rule: { from: 'css', selector: 'input[name="_csrf"]', attribute: 'value' } },
    ])
    const submit = scenario.login[1]!
    expect(
      submit.body.kind === 'form' && submit.body.fields.map((f) => [f.name, f.value.source])
    ).toEqual([
      ['_csrf', '{{csrf}}'],
      ['username', '{{account.username}}'],
      ['password', '{{account.password}}'],
    ])
    expect(submit.expect).toEqual([303])
    expect(scenario.login[2]!.verify).toBe(true)
    expect(scenario.pages.map((p) => `${p.method} ${p.path.source}`)).toEqual([
      'GET /api/me',
      'GET /',
    ])
  })

  test('the generated scenario hunts the correct build clean (exit 0) and catches --ipc naive (exit 1)', async () => {
    const run = (target: string, seed: string): Promise<{ code: number; stderr: string }> =>
      runHunter(
        [
          'run',
          'scenario.yaml',
          '--target',
          target,
          '--vus',
          '16',
          '--duration',
          '4s',
          '--seed',
          seed,
          '--quiet',
          '--json',
          `report-${seed}.json`,
        ],
        work
      )
    const clean = await run(correct.url, 'har-clean')
    expect(clean.stderr).toBe('')
    const cleanReport = JSON.parse(
      await readFile(join(work, 'report-har-clean.json'), 'utf8')
    ) as HuntReport
    expect(cleanReport.summary.loginFailures).toBe(0)
    expect(cleanReport.summary.errors).toBe(0)
    expect(cleanReport.summary.responsesChecked).toBeGreaterThan(100)
    expect(cleanReport.verdict).toBe('clean')
    expect(clean.code).toBe(0)

    const leaky = await run(naive.url, 'har-naive')
    const leakyReport = JSON.parse(
      await readFile(join(work, 'report-har-naive.json'), 'utf8')
    ) as HuntReport
    expect(leakyReport.verdict).toBe('leak')
    expect(leakyReport.summary.leaks.responses).toBeGreaterThan(0)
    expect(leaky.code).toBe(1)
  }, 60_000)
})
