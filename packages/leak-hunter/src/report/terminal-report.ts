import {
  VERDICT_TITLES,
  cookieDrops,
  failureLine,
  formatDuration,
  formatInt,
  formatMs,
  formatPercent,
  formatThreshold,
  groupSources,
  groupWho,
  inFlightShown,
  omittedLine,
  printable,
  uncheckedTotal,
} from './format.js'
import type { FindingGroup, GroupList, HuntReport, TerminalReportOptions } from './types.js'

const LEAK_GROUPS_SHOWN = 10
const WARNING_GROUPS_SHOWN = 5

type Paint = (code: string, text: string) => string

const plain: Paint = (_code, text) => text

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : plain
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
  section(lines, paint, 'leak', report.groups.leaks, report.groups.limit, s.leaks.findings)
  section(lines, paint, 'warning', report.groups.warnings, report.groups.limit, s.warnings)
  lines.push('')
  return lines.join('\n')
}

function phaseTime(ms: number): string {
  return ms < 1000 ? `${ms} ms` : formatDuration(ms)
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
  severity: 'leak' | 'warning',
  list: GroupList,
  limit: number,
  counted: number
): void {
  if (list.groups.length === 0) {
    return
  }
  const max = severity === 'leak' ? LEAK_GROUPS_SHOWN : WARNING_GROUPS_SHOWN
  const groups = list.groups.length + list.omitted.groups
  const name = severity === 'leak' ? 'leak findings' : 'warnings'
  lines.push(
    '',
    paint(
      severity === 'leak' ? '1;31' : '1;33',
      `${name} (${formatInt(counted)} in ${list.omitted.estimated ? 'about ' : ''}${formatInt(groups)} group(s) by kind, page, owner and foreign account; largest first)`
    )
  )
  list.groups.slice(0, max).forEach((g, i) => lines.push(...renderGroup(g, i + 1, paint)))
  if (list.groups.length > max) {
    lines.push(
      paint('2', `  … ${formatInt(list.groups.length - max)} more group(s) in --json / --html`)
    )
  }
  const omitted = omittedLine(list, limit)
  if (omitted !== '') {
    lines.push(paint('2', `  … ${omitted}`))
  }
}

/** One group as plain text lines (the JUnit report's failure text uses it too). */
export function renderGroup(g: FindingGroup, n: number, paint: Paint = plain): string[] {
  const f = g.evidence
  const times = g.count === 1 ? g.firstTime : `${g.firstTime} .. ${g.lastTime}`
  const out = [
    `  #${n} ${paint('1', g.kind)} ×${formatInt(g.count)}  ${printable(groupWho(g))}  [${printable(g.page)}]  ${times}`,
    `     e.g. VU ${f.vu}  ${printable(f.request.method)} ${printable(f.request.url)} -> ${f.request.status}  at ${f.time}`,
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
    const { shown, more } = inFlightShown(f.concurrent)
    const flight = shown.map((c) => {
      const who = `VU ${c.vu} (${printable(c.account)})`
      return c.likelySource ? paint('1', `${who} <- likely source`) : who
    })
    out.push(`     in flight: ${flight.join(', ')}${more > 0 ? ` … (+${formatInt(more)})` : ''}`)
  }
  const sources = groupSources(g)
  if (sources !== '') {
    out.push(`     ${sources}`)
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
