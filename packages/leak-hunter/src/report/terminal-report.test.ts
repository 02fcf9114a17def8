import { describe, expect, test } from 'vitest'
import { buildSampleReport, withFindings } from './sample-report.js'
import { renderTerminalReport } from './terminal-report.js'
import type { HuntReport } from './types.js'

const ESC = '\u001b'

describe('terminal report', () => {
  test('the summary gives verdict, counts, rate, affected accounts and latency', () => {
    const text = renderTerminalReport(buildSampleReport(), { color: false })
    expect(text).toContain('LEAK FOUND  (exit 1)')
    expect(text).toMatch(/requests\s+24,\d{3}\s+\(2,\d{3} req\/s\)/)
    expect(text).toMatch(
      /leaks\s+3 leaking responses\s+\(0\.01 % of checked\)\s+3 leak findings\s+affected: ann\.lee, mary, tom/
    )
    expect(text).toMatch(/latency ms\s+p50 1\.9\s+p90 4\.2\s+p99 11\.5\s+max 38\.2/)
    expect(text).toContain('FAIL leaks <= 0  actual 3')
    expect(text).toContain('  3 leaking response(s) with 3 leak finding(s); 0 tolerated')
    expect(text).toMatch(/phases\s+connect 1 ms\s+login 180 ms\s+load 11\.8 s\s+drain 2 ms/)
    expect(text).toContain('"Sam Smith": sam1 (displayName), sam2 (displayName)')
  })

  test('each leak group shows its count and one evidence', () => {
    const text = renderTerminalReport(buildSampleReport(), { color: false })
    expect(text).toContain(
      '#1 foreign-identity ×1  mary shown tom  [home]  2026-11-27T18:00:03.000Z\n     e.g. VU 10  GET http://127.0.0.1:3000/ -> 200  at 2026-11-27T18:00:03.000Z'
    )
    expect(text).toContain('foreign: tom [displayName "Tom Baker"]')
    expect(text).toContain('<h1>Welcome, Tom Baker</h1>')
    expect(text).toContain('in flight: VU 3 (tom) <- likely source, VU 8 (grace)')
    expect(text).toContain('set-cookie: sid=[redacted]')
    expect(text).toContain('warnings (1 in 1 group(s)')
  })

  test('a storm is summarised by group, largest first, with the likely source first', () => {
    const storm = { findings: 10_000, accounts: 64, inFlight: 31 }
    const report = buildSampleReport({ seconds: 60, storm })
    const text = renderTerminalReport(report, { color: false })
    const { groups, omitted } = report.groups.leaks
    expect(groups).toHaveLength(1000)
    expect(omitted.estimated).toBe(false)
    const total = (groups.length + omitted.groups).toLocaleString('en')
    expect(text).toContain(
      `leak findings (10,003 in ${total} group(s) by kind, page, owner and foreign account; largest first)`
    )
    expect(text).toContain(
      `… ${omitted.groups.toLocaleString('en')} more group(s) (${omitted.findings.toLocaleString('en')} findings) past the report's limit of 1,000 groups`
    )
    const first = groups[0]!
    expect(first.count).toBeGreaterThan(50)
    expect(text).toContain(`#1 foreign-identity ×${first.count}  ${first.owner.id} shown`)
    expect(text).toContain('#10 foreign-identity')
    expect(text).not.toContain('#11 ')
    expect(text).toContain(
      `… ${(groups.length - 10).toLocaleString('en')} more group(s) in --json / --html`
    )
    // 32 VUs were in flight: the source, listed last in the finding, comes first, then 5 others.
    expect(text).toMatch(
      /in flight: VU 99 \(user\d+\) <- likely source, (VU 1\d\d \(user\d+\), ){4}VU 1\d\d \(user\d+\) … \(\+26\)/
    )
    expect(text).toMatch(/likely source in flight in \d+ of \d+/)
    expect(text.split('\n').length).toBeLessThan(150)
  })

  test('groups past the limit are counted and said to be', () => {
    const base = buildSampleReport()
    const many = Array.from({ length: 30 }, (_, i) => ({
      ...base.findings[0]!,
      request: { ...base.findings[0]!.request, page: `p${i}` },
    }))
    const text = renderTerminalReport(withFindings(base, many, 20), { color: false })
    expect(text).toContain('leak findings (3 in 30 group(s)')
    expect(text).toContain(
      "… 10 more group(s) (10 findings) past the report's limit of 20 groups: counted, not listed"
    )
  })

  test('no escape codes without colour; colour when asked', () => {
    expect(renderTerminalReport(buildSampleReport(), { color: false })).not.toContain(ESC)
    const coloured = renderTerminalReport(buildSampleReport(), { color: true })
    expect(coloured).toContain(`${ESC}[1;31mLEAK FOUND${ESC}[0m`)
    expect(coloured).toContain(`${ESC}[1;41mTom Baker${ESC}[0m`)
  })

  test("a page's control characters cannot drive the terminal", () => {
    const text = renderTerminalReport(buildSampleReport({ hostile: true }), { color: false })
    expect(text).not.toContain(ESC)
    expect(text).toContain('\\x1b[31m')
  })

  test('a clean run says so and lists no findings', () => {
    const report: HuntReport = {
      ...withFindings(buildSampleReport(), []),
      verdict: 'clean',
      exitCode: 0,
      ambiguities: [],
    }
    const text = renderTerminalReport(report, { color: false })
    expect(text).toContain('CLEAN: no leak found  (exit 0)')
    expect(text).not.toContain('leak findings (')
  })

  test('failures by step name the step, the request and the counts', () => {
    const text = renderTerminalReport(buildSampleReport(), { color: false })
    expect(text).toContain('failures by step')
    expect(text).toContain('  load  home: GET / returned 503, expected 200 (4 of 24,464)')
  })

  // Regression (issue 11): threshold lines printed counts rounded to 4 digits (11570 for 11,567).
  test('thresholds print counts exactly, shares with their counts, milliseconds to the µs', () => {
    const base = buildSampleReport()
    const report: HuntReport = {
      ...base,
      thresholds: [
        { name: 'leaks', limit: 0, actual: 11_567, ok: false, unit: 'count' },
        { name: 'latency.p99', limit: 50, actual: 11.123456, ok: true, unit: 'ms' },
        {
          name: 'errorRate',
          limit: 0.01,
          actual: 123 / 9967,
          ok: false,
          unit: 'share',
          of: { count: 123, total: 9967 },
        },
      ],
    }
    const text = renderTerminalReport(report, { color: false })
    expect(text).toContain('FAIL leaks <= 0  actual 11,567')
    expect(text).toContain('ok   latency.p99 <= 50 ms  actual 11.123 ms')
    expect(text).toContain('FAIL errorRate <= 1 %  actual 1.23 % (123 of 9,967)')
  })

  test('bidi controls in evidence are shown escaped, never applied', () => {
    const base = buildSampleReport()
    const f = base.findings[0]!
    const rlo = {
      ...f,
      excerpt: { before: 'x\u202eevil\u202c', match: 'Tom', after: '\u2066y\u2069' },
    }
    const text = renderTerminalReport(withFindings(base, [rlo]), { color: false })
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
    expect(text).toContain('x\\u202eevil\\u202c')
    expect(text).toContain('\\u2066y\\u2069')
  })
})
