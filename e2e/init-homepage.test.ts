// `leak-hunter init --target` against the real homepage on 127.0.0.1: from the site root it
// follows the redirect to /login, picks the hidden-input CSRF token, and its scenario hunts clean.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HuntReport } from '@crosstalk/leak-hunter'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { seedAccounts, startHomepage, stopAllHomepages } from '../demo/src/homepage-process.js'
import type { HomepageServer } from '../demo/src/homepage-process.js'
import { runHunter } from './hunter-cli.js'

let work: string
let server: HomepageServer

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crosstalk-init-'))
  await seedAccounts({
    users: 20,
    db: join(work, 'home.db'),
    accounts: join(work, 'seeded.csv'),
    seed: 3,
  })
  server = await startHomepage(['--db', join(work, 'home.db'), '--renderers', '1', '--production'])
})

afterAll(async () => {
  await stopAllHomepages()
  await rm(work, { recursive: true, force: true })
})

test('init --target <homepage root> writes a scenario that logs in and hunts the homepage clean', async () => {
  const init = await runHunter(['init', '--target', `${server.url}/`], work)
  expect(init.stderr).toBe('')
  expect(init.code).toBe(0)
  expect(init.stdout).toContain('probed: GET / -> 303')
  expect(init.stdout).toContain('probed: GET /login -> 200')
  expect(init.stdout).toContain(
    'guessed: CSRF: the hidden input "_csrf", posted back as a form field (the page also has <meta name="csrf-token">)'
  )
  expect(init.stdout).toContain(
    'wrote accounts.csv (header only: username,password,displayName,email)'
  )
  await copyFile(join(work, 'seeded.csv'), join(work, 'accounts.csv'))
  const run = await runHunter(
    ['run', 'scenario.yaml', '--vus', '8', '--duration', '2s', '--quiet', '--json', 'r.json'],
    work
  )
  const report = JSON.parse(await readFile(join(work, 'r.json'), 'utf8')) as HuntReport
  expect(report.summary.loginFailures).toBe(0)
  expect(report.summary.errors).toBe(0)
  expect(report.verdict).toBe('clean')
  expect(run.code).toBe(0)
}, 60_000)
