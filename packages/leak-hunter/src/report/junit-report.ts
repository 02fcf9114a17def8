// `--junit FILE`: one test case per login step and page (a leak on it is a failure with its
// evidence) and one per threshold, in the JUnit XML that Jenkins, GitLab and the GitHub test
// reporters read (valid against Jenkins' junit-10.xsd). Built from the report, so it is redacted
// as the report is.
import { VERDICT_TITLES, failureLine, formatInt, formatThreshold, printable } from './format.js'
import { renderGroup } from './terminal-report.js'
import type { FindingGroup, HuntReport, StepSummary, ThresholdResult } from './types.js'

/** Leak groups written out per failing step; the JSON and HTML reports have the rest. */
const GROUPS_PER_STEP = 20

// XML 1.0 allows tab, LF, CR and U+0020 upwards, less surrogates, U+FFFE and U+FFFF, even as
// character references: printable() makes the controls visible, the rest become U+FFFD.
const NOT_XML =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g

function xml(text: string): string {
  return text
    .replace(NOT_XML, '\ufffd')
    .replace(/[&<>"]/g, (c) =>
      c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'
    )
}

/** Page-derived text as safe lines: controls escaped per line, lines joined with LF. */
function block(lines: readonly string[]): string {
  return xml(lines.map((l) => printable(l)).join('\n'))
}

interface Case {
  classname: string
  name: string
  failure?: { type: string; message: string; text: string }
  error?: { type: string; message: string; text: string }
  out?: string
}

function stepCase(report: HuntReport, step: StepSummary): Case {
  const name = `${step.name}: ${step.method} ${step.path}`
  const counts = `sent ${formatInt(step.sent)}, responses ${formatInt(step.responses)}, failures ${formatInt(step.failures)}, leaking responses ${formatInt(step.leaks.responses)}, leak findings ${formatInt(step.leaks.findings)}, warnings ${formatInt(step.warnings)}`
  const failures = step.messages.map((f) => failureLine(step, f))
  const warnings = groupsOn(report.groups.warnings.groups, step.name)
  const out = [
    counts,
    ...failures,
    ...warnings.slice(0, GROUPS_PER_STEP).flatMap((g, i) => renderGroup(g, i + 1)),
  ]
  const c: Case = {
    classname: `leak-hunter.${step.phase === 'login' ? 'login' : 'pages'}`,
    name,
    out: block(out),
  }
  if (step.leaks.findings > 0) {
    const groups = groupsOn(report.groups.leaks.groups, step.name).slice(0, GROUPS_PER_STEP)
    const lines = groups.flatMap((g, i) => renderGroup(g, i + 1))
    const rest = step.leaks.findings - groups.reduce((n, g) => n + g.count, 0)
    if (rest > 0) {
      lines.push(
        `… ${formatInt(rest)} more leak finding(s) on this step: see the JSON or HTML report`
      )
    }
    const first = groups[0]
    c.failure = {
      type: 'leak',
      message: `${formatInt(step.leaks.responses)} leaking response(s), ${formatInt(step.leaks.findings)} leak finding(s)${first === undefined ? '' : `; largest group: ${first.owner.id} shown ${first.foreign.map((f) => f.id).join(', ')} ×${formatInt(first.count)}`}`,
      text: block(lines),
    }
  } else if (
    step.phase === 'login' &&
    step.failures > 0 &&
    (report.verdict === 'login-failed' || report.verdict === 'target-unreachable')
  ) {
    c.failure = { type: report.verdict, message: failures[0] ?? counts, text: block(failures) }
  } else if (step.responses === 0) {
    c.error = {
      type: 'not-checked',
      message: `no response was checked (${VERDICT_TITLES[report.verdict] ?? report.verdict})`,
      text: block(report.reasons),
    }
  }
  return c
}

function groupsOn(groups: readonly FindingGroup[], page: string): FindingGroup[] {
  return groups.filter((g) => g.page === page)
}

function thresholdCase(t: ThresholdResult): Case {
  const c: Case = { classname: 'leak-hunter.thresholds', name: formatThreshold(t) }
  if (!t.ok) {
    const sentence = formatThreshold(t, true)
    c.failure = { type: 'threshold', message: sentence, text: xml(printable(sentence)) }
  }
  return c
}

function attr(text: string): string {
  return xml(printable(text))
}

function renderCase(c: Case): string {
  const inner = [
    c.failure === undefined
      ? ''
      : `<failure type="${attr(c.failure.type)}" message="${attr(c.failure.message)}">${c.failure.text}</failure>`,
    c.error === undefined
      ? ''
      : `<error type="${attr(c.error.type)}" message="${attr(c.error.message)}">${c.error.text}</error>`,
    c.out === undefined ? '' : `<system-out>${c.out}</system-out>`,
  ].join('')
  return `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="0">${inner}</testcase>`
}

function suite(name: string, cases: readonly Case[], report: HuntReport, props: string): string {
  const failures = cases.filter((c) => c.failure !== undefined).length
  const errors = cases.filter((c) => c.error !== undefined).length
  return `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">
${props}${cases.map(renderCase).join('\n')}
  </testsuite>`
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3)
}

/** The JUnit XML of a report: suites `leak-hunter pages` and `leak-hunter thresholds`. */
export function renderJunitReport(report: HuntReport): string {
  const steps = report.summary.steps.map((s) => stepCase(report, s))
  const thresholds = report.thresholds.map(thresholdCase)
  const props = [
    ['verdict', report.verdict],
    ['exitCode', String(report.exitCode)],
    ['reasons', report.reasons.join(' | ')],
    ['seed', report.seed],
    ['target', report.target.address],
    ['schema', report.schema],
  ]
    .map(([name, value]) => `      <property name="${attr(name!)}" value="${attr(value!)}"/>`)
    .join('\n')
  const properties = `    <properties>\n${props}\n    </properties>\n`
  const all = [...steps, ...thresholds]
  const count = (pick: (c: Case) => unknown): number =>
    all.filter((c) => pick(c) !== undefined).length
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="leak-hunter" tests="${all.length}" failures="${count((c) => c.failure)}" errors="${count((c) => c.error)}" time="${seconds(report.durationMs)}">
${suite('leak-hunter pages', steps, report, properties)}
${suite('leak-hunter thresholds', thresholds, report, '')}
</testsuites>
`
}
