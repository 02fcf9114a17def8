import type { Finding } from '../detect/types.js'
import {
  VERDICT_TITLES,
  cookieDrops,
  failureLine,
  formatDuration,
  formatInt,
  formatMs,
  formatPercent,
  formatThreshold,
  printable,
  uncheckedTotal,
} from './format.js'
import type { HuntReport, TerminalReportOptions } from './types.js'

const LEAKS_SHOWN = 20
const WARNINGS_SHOWN = 10

type Paint = (code: string, text: string) => string

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text
}

/** The human summary the CLI prints; ANSI colours only when `color` is set (the CLI decides). */
export function renderTerminalReport(report: HuntReport, options: TerminalReportOptions): string {
  const paint = painter(options.color)
  const s = report.summary
  const verdictColor =
    report.verdict === 'clean' ? '1;32' : report.verdict === 'leak' ? '1;31' : '1;33'
  const lines: string[] = [
    '',
    `${paint(verdictColor, VERDICT_TITLES[report.verdict] ?? report.verdict)}  (exit ${report.exitCode})`,
    ...report.reasons.map((r) => `  ${printable(r)}`),
    paint(
      '2',
      `started ${report.startedAt} · ${formatDuration(report.durationMs)} · seed ${printable(report.seed)} · ${s.virtualUsers} virtual users · ${printable(report.target.address)}`
    ),
    '',
    row(
      'requests',
      `${formatInt(s.requests)}  (${formatInt(s.throughput)} req/s)  unanswered ${formatInt(s.unanswered)}  cut off ${formatInt(s.cutOff)}`
    ),
    row(
      'responses checked',
      `${formatInt(s.responsesChecked)}  unchecked ${formatInt(uncheckedTotal(s))} (body cut ${formatInt(s.unchecked.truncated)}, binary ${formatInt(s.unchecked.binary)}, owner not shown ${formatInt(s.unchecked.withoutOwner)})`
    ),
    row('errors', `${formatInt(s.errors)}  (${formatPercent(s.errorRate)} of requests)`),
    row(
      'logins',
      `${formatInt(s.login.loggedIn)} of ${formatInt(s.virtualUsers)} VUs logged in  (${formatInt(s.login.failedAttempts)} of ${formatInt(s.login.attempts)} attempts failed)`
    ),
    row(
      'leaks',
      paint(
        s.leaks.responses > 0 ? '1;31' : '32',
        `${formatInt(s.leaks.responses)} leaking responses`
      ) +
        `  (${formatPercent(s.leaks.responseRate)} of checked)  ${formatInt(s.leaks.findings)} leak findings` +
        (s.leaks.affectedAccounts.length > 0
          ? `  affected: ${printable(list(s.leaks.affectedAccounts, 12))}`
          : '')
    ),
    row('warnings', formatInt(s.warnings)),
    row(
      'latency ms',
      `p50 ${formatMs(s.latencyMs.p50)}  p90 ${formatMs(s.latencyMs.p90)}  p99 ${formatMs(s.latencyMs.p99)}  max ${formatMs(s.latencyMs.max)}  mean ${formatMs(s.latencyMs.mean)}`
    ),
  ]
  if (s.arrivals !== undefined) {
    const a = s.arrivals
    lines.push(
      row(
        'arrivals',
        `scheduled ${formatInt(a.scheduled)}  dropped ${formatInt(a.dropped)}  late ${formatInt(a.late)}`
      )
    )
  }
  const drops = cookieDrops(s)
  if (drops !== '') {
    lines.push(row('cookies dropped', printable(drops)))
  }
  lines.push(
    row(
      'phases',
      report.phases
        .map((p) => `${p.name} ${phaseTime(p.ms)}${p.end === 'complete' ? '' : ` (${p.end})`}`)
        .join('  ')
    )
  )
  const failing = s.steps.filter((step) => step.failures > 0)
  if (failing.length > 0) {
    lines.push('', paint('1', 'failures by step'))
    for (const step of failing) {
      for (const f of step.messages) {
        lines.push(`  ${step.phase.padEnd(6)}${printable(failureLine(step, f))}`)
      }
      if (step.otherFailures > 0) {
        lines.push(
          `  ${step.phase.padEnd(6)}${printable(step.name)}: ${formatInt(step.otherFailures)} more with other messages`
        )
      }
    }
  }
  if (report.thresholds.length > 0) {
    lines.push('', paint('1', 'thresholds'))
    for (const t of report.thresholds) {
      const mark = t.ok ? paint('32', 'ok  ') : paint('31', 'FAIL')
      lines.push(`  ${mark} ${printable(formatThreshold(t))}`)
    }
  }
  if (report.ambiguities.length > 0) {
    lines.push('', paint('1', `ambiguous markers (${report.ambiguities.length})`))
    for (const a of report.ambiguities.slice(0, 10)) {
      lines.push(`  "${printable(a.marker)}": ${printable(list(a.accounts, 6))}`)
    }
    if (report.ambiguities.length > 10) {
      lines.push(paint('2', `  … ${report.ambiguities.length - 10} more in the JSON/HTML report`))
    }
  }
  const leaks = report.findings.filter((f) => f.severity === 'leak')
  const warnings = report.findings.filter((f) => f.severity === 'warning')
  section(
    lines,
    paint,
    title('leak findings', leaks.length, s.leaks.findings),
    leaks,
    LEAKS_SHOWN,
    '1;31'
  )
  section(
    lines,
    paint,
    title('warnings', warnings.length, s.warnings),
    warnings,
    WARNINGS_SHOWN,
    '1;33'
  )
  lines.push('')
  return lines.join('\n')
}

function phaseTime(ms: number): string {
  return ms < 1000 ? `${ms} ms` : formatDuration(ms)
}

/** The report keeps the first findings only (maxFindings); say so when the counts differ. */
function title(name: string, kept: number, counted: number): string {
  return counted > kept
    ? `${name} (${counted}, first ${kept} kept in the report)`
    : `${name} (${kept})`
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(18)}${value}`
}

function list(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown} … (+${items.length - max})` : shown
}

function section(
  lines: string[],
  paint: Paint,
  title: string,
  findings: readonly Finding[],
  max: number,
  color: string
): void {
  if (findings.length === 0) {
    return
  }
  lines.push('', paint(color, title))
  findings.slice(0, max).forEach((f, i) => lines.push(...renderFinding(f, i + 1, paint)))
  if (findings.length > max) {
    lines.push(paint('2', `  … ${findings.length - max} more in --json / --html`))
  }
}

function renderFinding(f: Finding, n: number, paint: Paint): string[] {
  const out = [
    `  #${n} ${paint('1', f.kind)}  ${f.time}  VU ${f.vu} (${printable(f.owner.id)})  ${printable(f.request.method)} ${printable(f.request.url)} -> ${f.request.status}  [${printable(f.request.page)}]`,
  ]
  if (f.foreign.length > 0) {
    const names = f.foreign.map((x) => `${x.id} [${x.column} "${x.marker}"]`)
    out.push(`     foreign: ${printable(names.join(', '))}`)
  }
  if (f.excerpt !== undefined) {
    const { before, match, after } = f.excerpt
    out.push(`     …${printable(before)}${paint('1;41', printable(match))}${printable(after)}…`)
  }
  if (f.concurrent.length > 0) {
    const flight = f.concurrent.map((c) => {
      const who = `VU ${c.vu} (${printable(c.account)})`
      return c.likelySource ? paint('1', `${who} <- likely source`) : who
    })
    out.push(`     in flight: ${list(flight, 8)}`)
  }
  const headers = Object.entries(f.headers).map(([k, v]) => `${k}: ${v}`)
  if (headers.length > 0) {
    out.push(paint('2', `     headers: ${printable(headers.join('; '))}`))
  }
  if (f.detail !== undefined) {
    out.push(`     ${printable(f.detail)}`)
  }
  return out
}
