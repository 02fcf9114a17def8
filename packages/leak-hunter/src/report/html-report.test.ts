import { describe, expect, test } from 'vitest'
import { renderHtmlReport } from './html-report.js'
import { buildSampleReport } from '../../test/fixtures/sample-report.js'
import type { HuntReport } from './types.js'

describe('HTML report', () => {
  test('starts with the verdict and holds every section', () => {
    const html = renderHtmlReport(buildSampleReport())
    const verdict = html.indexOf('data-verdict="leak"')
    expect(verdict).toBeGreaterThan(0)
    for (const id of ['leaks', 'affected', 'thresholds', 'warnings', 'ambiguities', 'config']) {
      expect(html.indexOf(`id="${id}"`)).toBeGreaterThan(verdict)
    }
    expect(html).toContain('<mark>Tom Baker</mark>')
    expect(html).toContain('VU 3 (tom) likely source')
    expect(html).toContain('&quot;minLength&quot;: 3')
  })

  test('charts are inline SVG with one point per second and per percentile', () => {
    const html = renderHtmlReport(buildSampleReport({ seconds: 30 }))
    expect(html).toContain('data-chart="timeline" data-points="30"')
    expect(html).toContain('data-chart="latency" data-points="7"')
    expect(html.match(/<rect class="leak-bar"/g)?.length).toBe(9)
  })

  test('needs no network: CSP forbids fetches and nothing references a URL', () => {
    const html = renderHtmlReport(buildSampleReport({ hostile: true }))
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i)
    expect(html).not.toMatch(/<[^>]*\s(?:src|href|xlink:href)\s*=/i)
    expect(html).not.toMatch(/@import|url\(/i)
  })

  test('escapes page content, markers and config', () => {
    const html = renderHtmlReport(buildSampleReport({ hostile: true }))
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('<mark>&lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Lee&quot;</mark>')
    expect(html).toContain('&lt;img src=http://evil.test/x.png&gt;')
  })

  test('an empty run still renders both charts', () => {
    const base = buildSampleReport()
    const report: HuntReport = {
      ...base,
      verdict: 'target-unreachable',
      exitCode: 3,
      timeline: [],
      latencyPercentiles: [],
      findings: [],
    }
    const html = renderHtmlReport(report)
    expect(html).toContain('no requests recorded')
    expect(html).toContain('no latency recorded')
    expect(html).toContain('TARGET UNREACHABLE')
  })

  test('the verdict says why; failures by step, phases and thresholds show exact counts', () => {
    const base = buildSampleReport()
    const report: HuntReport = {
      ...base,
      thresholds: [{ name: 'leaks', limit: 0, actual: 11_567, ok: false, unit: 'count' }],
    }
    const html = renderHtmlReport(report)
    expect(html).toContain(
      '<ul class="reasons"><li>3 leaking response(s) with 3 leak finding(s); 0 tolerated (thresholds.leaks)</li></ul>'
    )
    expect(html).toContain('home: GET / returned 503, expected 200 (4 of 24,464)')
    expect(html).toContain('<td class="num">11,567</td>')
    expect(html).toContain('<td>load</td><td class="num">11,810 ms</td><td>complete</td>')
  })

  test('bidi controls in evidence are shown escaped, never applied', () => {
    const base = buildSampleReport()
    const f = base.findings[0]!
    const rlo = {
      ...f,
      excerpt: { before: '\u202eabc\u202c', match: 'Tom', after: '\u2067x\u2069' },
    }
    const html = renderHtmlReport({ ...base, findings: [rlo] })
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
    expect(html).toContain('\\u202eabc\\u202c')
  })
})
