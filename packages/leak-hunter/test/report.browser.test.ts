import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { renderHtmlReport } from '../src/report/html-report.js'
import { buildSampleReport } from './fixtures/sample-report.js'

// Real Chromium opens the generated report from disk, as a user would after a CI run.
const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs')
let browser: Browser
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hunt-report-'))
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
  await rm(dir, { recursive: true, force: true })
})

describe('HTML report in Chromium', () => {
  test('renders charts from data, logs no errors, fetches nothing; screenshot for the docs', async () => {
    const file = join(dir, 'report.html')
    await writeFile(file, renderHtmlReport(buildSampleReport({ seconds: 20 })))
    const url = pathToFileURL(file).href
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems: string[] = []
    const requests: string[] = []
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        problems.push(`${msg.type()}: ${msg.text()}`)
      }
    })
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
    page.on('request', (req) => requests.push(req.url()))
    await page.goto(url, { waitUntil: 'load' })

    expect(await page.locator('#verdict h1').textContent()).toBe('LEAK FOUND')
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect()
        const line = svg.querySelector('path.line-req, path.line-lat')
        return {
          chart: svg.getAttribute('data-chart'),
          points: Number(svg.getAttribute('data-points')),
          width: box.width,
          height: box.height,
          // No DOM lib in the Node tsconfig: the callback runs in the page, where paths have this.
          pathLength:
            line === null ? 0 : (line as unknown as { getTotalLength(): number }).getTotalLength(),
          bars: svg.querySelectorAll('rect.leak-bar').length,
          dots: svg.querySelectorAll('circle.dot').length,
        }
      })
    )
    expect(charts.map((c) => [c.chart, c.points])).toEqual([
      ['timeline', 20],
      ['latency', 7],
    ])
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(300)
      expect(c.height).toBeGreaterThan(100)
      // A drawn line has length; an empty or NaN path has none.
      expect(c.pathLength).toBeGreaterThan(100)
    }
    expect(charts[0]?.bars).toBeGreaterThan(0)
    expect(charts[1]?.dots).toBe(7)

    const marks = await page.locator('table[data-kind="leaks"] mark').allTextContents()
    expect(marks).toEqual(['Tom Baker', 'Mary Smith', 'Ann Lee'])

    await page.screenshot({ path: join(docsDir, 'report-screenshot.png'), fullPage: true })
    expect(problems).toEqual([])
    expect(requests).toEqual([url])
    await page.close()
  })

  test('hostile page content stays text: no script runs, nothing is fetched', async () => {
    const file = join(dir, 'hostile.html')
    await writeFile(file, renderHtmlReport(buildSampleReport({ hostile: true })))
    const url = pathToFileURL(file).href
    const page = await browser.newPage()
    const requests: string[] = []
    const dialogs: string[] = []
    page.on('request', (req) => requests.push(req.url()))
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.goto(url, { waitUntil: 'load' })
    expect(await page.locator('script, img, iframe').count()).toBe(0)
    expect(await page.locator('table[data-kind="leaks"] mark').nth(2).textContent()).toBe(
      '<b>Ann</b> & "Lee"'
    )
    expect(dialogs).toEqual([])
    expect(requests).toEqual([url])
    await page.close()
  })
})
