import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { SeededAccount } from '../src/seed/seed-users.js'
import { buildApp } from '../src/server/build-app.js'
import { seedTempDb, type SeededDb } from './helpers/app-fixture.js'

// Real Chromium (Debian's /usr/bin/chromium) against a real listening server with real renderers.
let seeded: SeededDb
let app: FastifyInstance
let browser: Browser
let origin: string

beforeAll(async () => {
  seeded = await seedTempDb(2, 11)
  app = await buildApp({ db: seeded.db, rateLimit: false, renderers: 1 })
  origin = await app.listen({ host: '127.0.0.1', port: 0 })
  browser = await chromium.launch({
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
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
  seeded?.cleanup()
})

function account(i: number): SeededAccount {
  const a = seeded.accounts[i]
  if (a === undefined) {
    throw new Error(`no seeded account ${i}`)
  }
  return a
}

async function logIn(page: Page, who: SeededAccount): Promise<void> {
  await page.goto(`${origin}/login`)
  await page.fill('#username', who.username)
  await page.fill('#password', who.password)
  await Promise.all([page.waitForURL(`${origin}/`), page.click('button[type="submit"]')])
}

describe('home page in Chromium', () => {
  test('logs in through the form, hydrates, the toggle works, no console errors, logout', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (msg) => {
      // Chromium asks for /favicon.ico on the login page, which has none: not a page problem.
      if (msg.location().url.endsWith('/favicon.ico')) {
        return
      }
      if (msg.type() === 'error' || msg.type() === 'warning') {
        problems.push(`${msg.type()}: ${msg.text()}`)
      }
    })
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
    const who = account(0)
    try {
      await logIn(page, who)
      expect(await page.textContent('#welcome')).toBe(`Welcome, ${who.displayName}`)
      expect(await page.textContent('#email')).toBe(who.email)
      // The toggle is disabled in server HTML; it is enabled only once React has hydrated.
      await page.waitForSelector('[data-hydrated="true"]')
      expect(await page.isEnabled('#details-toggle')).toBe(true)
      expect(await page.$('#details')).toBeNull()
      await page.click('#details-toggle')
      expect(await page.textContent('#details')).toContain(`${who.items.length} private`)
      expect(await page.textContent('#details-toggle')).toBe('Hide details')
      await Promise.all([page.waitForURL(`${origin}/login`), page.click('#logout')])
      expect(await page.isVisible('#username')).toBe(true)
      // The session is gone: the home page sends us back to the login form.
      await page.goto(`${origin}/`)
      expect(page.url()).toBe(`${origin}/login`)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  test('with JavaScript disabled the page still names the user and logout works', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const who = account(1)
    try {
      await logIn(page, who)
      expect(await page.textContent('#welcome')).toBe(`Welcome, ${who.displayName}`)
      for (const item of who.items) {
        expect(await page.textContent('#items')).toContain(item)
      }
      // Without hydration the interactive element stays inert.
      expect(await page.isDisabled('#details-toggle')).toBe(true)
      await Promise.all([page.waitForURL(`${origin}/login`), page.click('#logout')])
      await page.goto(`${origin}/`)
      expect(page.url()).toBe(`${origin}/login`)
    } finally {
      await context.close()
    }
  })
})
