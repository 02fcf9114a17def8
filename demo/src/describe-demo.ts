// Plain-words text for the demo: a leak as a sentence, and the side-by-side table.
import type { Finding } from '@crosstalk/leak-hunter'
import type { ModeResult } from './run-demo.js'

/** "ann.lee asked for their page (GET /) and got the one for Mary Jones (mary.jones)". */
export function describeLeak(finding: Finding): string {
  const who = [...new Set(finding.foreign.map((f) => f.id))].map((id) => {
    const name = finding.foreign.find((f) => f.id === id && f.column === 'displayName')?.marker
    return name === undefined ? id : `${name} (${id})`
  })
  const path = new URL(finding.request.url).pathname
  return `${finding.owner.id} asked for their page (${finding.request.method} ${path}) and got the one for ${who.join(' and ')}`
}

export function describeEvidence(finding: Finding): string[] {
  const lines = [
    `request:   ${finding.request.method} ${finding.request.url} -> ${finding.request.status}`,
    `matched:   ${finding.foreign.map((f) => `${f.column} "${f.marker}" of ${f.id}`).join(', ')}`,
  ]
  if (finding.excerpt !== undefined) {
    const { before, match, after } = finding.excerpt
    lines.push(`context:   …${oneLine(before)}[${oneLine(match)}]${oneLine(after)}…`)
  }
  const sources = finding.concurrent
    .filter((c) => c.likelySource)
    .map((c) => `${c.account} (vu ${c.vu})`)
  if (sources.length > 0) {
    lines.push(`in flight: ${sources.join(', ')} had a request in flight at the same moment`)
  }
  return lines
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ')
}

const COLUMNS = [
  'configuration',
  'requests',
  'leaking responses',
  'share leaking',
  'p50 ms',
  'p99 ms',
  'req/s',
]

export function demoTable(results: readonly ModeResult[]): string {
  const rows = results.map(({ mode, report }) => {
    const s = report.summary
    return [
      mode.label,
      String(s.requests),
      String(s.leaks.responses),
      `${(s.leaks.responseRate * 100).toFixed(2)} %`,
      s.latencyMs.p50.toFixed(1),
      s.latencyMs.p99.toFixed(1),
      s.throughput.toFixed(0),
    ]
  })
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
