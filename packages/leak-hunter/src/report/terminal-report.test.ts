import { describe, expect, test } from 'vitest'
import { buildSampleReport } from '../../test/fixtures/sample-report.js'
import { renderTerminalReport } from './terminal-report.js'
import type { HuntReport } from './types.js'

const ESC = '\u001b'

describe('terminal report', () => {
  test('the summary gives verdict, counts, rate, affected accounts and latency', () => {
    const text = renderTerminalReport(buildSampleReport(), { color: false })
    expect(text).toContain('LEAK FOUND  (exit 1)')
    expect(text).toMatch(/requests\s+24,\d{3}\s+\(2,\d{3} req\/s\)/)
    expect(text).toMatch(
      /leaks\s+3 leaking responses\s+\(0\.01 % of checked\)\s+3 leak findings\s+affected: mary, ann\.lee, tom/
    )
    expect(text).toMatch(/latency ms\s+p50 1\.9\s+p90 4\.2\s+p99 11\.5\s+max 38\.2/)
    expect(text).toContain('FAIL leaks <= 0  actual 3')
    expect(text).toContain('  3 leaking response(s) with 3 leak finding(s); 0 tolerated')
    expect(text).toMatch(/phases\s+connect 1 ms\s+login 180 ms\s+load 11\.8 s\s+drain 2 ms/)
    expect(text).toContain('"Sam Smith": sam1 (displayName), sam2 (displayName)')
  })

  test('each leak shows its evidence', () => {
    const text = renderTerminalReport(buildSampleReport(), { color: false })
    expect(text).toContain(
      '#1 foreign-identity  2026-11-27T18:00:03.000Z  VU 10 (mary)  GET http://127.0.0.1:3000/ -> 200'
    )
    expect(text).toContain('foreign: tom [displayName "Tom Baker"]')
    expect(text).toContain('<h1>Welcome, Tom Baker</h1>')
    expect(text).toContain('in flight: VU 3 (tom) <- likely source, VU 8 (grace)')
    expect(text).toContain('set-cookie: sid=[redacted]')
    expect(text).toContain('warnings (1)')
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
      ...buildSampleReport(),
      verdict: 'clean',
      exitCode: 0,
      findings: [],
      ambiguities: [],
    }
    const text = renderTerminalReport(report, { color: false })
    expect(text).toContain('CLEAN: no leak found  (exit 0)')
    expect(text).not.toContain('leak findings (')
  })

  test('says when the report kept fewer findings than were counted', () => {
    const base = buildSampleReport()
    const summary = { ...base.summary, leaks: { ...base.summary.leaks, findings: 5000 } }
    const text = renderTerminalReport({ ...base, summary }, { color: false })
    expect(text).toContain('leak findings (5000, first 3 kept in the report)')
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
    const text = renderTerminalReport({ ...base, findings: [rlo] }, { color: false })
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
    expect(text).toContain('x\\u202eevil\\u202c')
    expect(text).toContain('\\u2066y\\u2069')
  })

  test('long lists are cut with a pointer to the full reports', () => {
    const base = buildSampleReport()
    const many = Array.from({ length: 45 }, () => base.findings[0]!)
    const text = renderTerminalReport({ ...base, findings: many }, { color: false })
    expect(text).toContain('#20 foreign-identity')
    expect(text).not.toContain('#21 ')
    expect(text).toContain('… 25 more in --json / --html')
  })
})
