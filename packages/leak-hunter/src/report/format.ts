// Number and text formatting shared by the terminal and HTML reports (locale-independent output).
import type { FindingConcurrent } from '../detect/types.js'
import type {
  FindingGroup,
  GroupList,
  ReportSummary,
  StepFailureCount,
  StepSummary,
  ThresholdResult,
} from './types.js'

export function formatInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Milliseconds with 3 significant digits, e.g. 0.412, 12.3, 1,234. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) {
    return '-'
  }
  if (ms >= 1000) {
    return formatInt(ms)
  }
  return Number(ms.toPrecision(3)).toString()
}

/** A share as a percentage that never rounds a non-zero share to 0 % or a partial one to 100 %. */
export function formatPercent(share: number): string {
  if (share === 0 || share === 1) {
    return `${share * 100} %`
  }
  const p = share * 100
  const text =
    p < 0.01
      ? Number(p.toPrecision(1)).toString()
      : p > 99.99
        ? '99.99'
        : Number(p.toFixed(2)).toString()
  return `${text} %`
}

/** Milliseconds to the microsecond (the histogram's own precision). */
export function formatExactMs(ms: number): string {
  return `${Math.round(ms * 1000) / 1000} ms`
}

/**
 * `leaks <= 0  actual 11,567`: counts exact, milliseconds to the µs, shares as percentages with
 * the counts they come from. `sentence` reads as a reason: `leaks 11,567 above 0 (thresholds.leaks)`.
 */
export function formatThreshold(t: ThresholdResult, sentence = false): string {
  const value = (x: number): string =>
    t.unit === 'count' ? formatInt(x) : t.unit === 'ms' ? formatExactMs(x) : formatPercent(x)
  const of = t.of === undefined ? '' : ` (${formatInt(t.of.count)} of ${formatInt(t.of.total)})`
  return sentence
    ? `${t.name} ${value(t.actual)}${of} above ${value(t.limit)} (thresholds.${t.name})`
    : `${t.name} <= ${value(t.limit)}  actual ${value(t.actual)}${of}`
}

/** `name: message (count of sent)`: one failure of a step, as the summaries print it. */
export function failureLine(step: StepSummary, f: StepFailureCount): string {
  return `${step.name}: ${f.message} (${formatInt(f.count)} of ${formatInt(step.sent)})`
}

export function formatDuration(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/**
 * Bidirectional controls: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) can
 * make evidence render reversed (Trojan Source, CVE-2021-42574); the marks U+200E, U+200F and
 * U+061C are escaped too, since nobody needs to see them as such.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** `\u202e`: how a bidi control shows in the terminal and in HTML. */
export function bidiEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/**
 * Makes page text safe to print: control characters (ESC would let a page drive the terminal)
 * and bidi controls become visible escapes, and the U+0000 allowlist mask becomes a middle dot.
 */
export function printable(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
        c === '\u0000' ? '·' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
      )
      .replace(BIDI_CONTROLS, bidiEscape)
  )
}

export const VERDICT_TITLES: Record<string, string> = {
  clean: 'CLEAN: no leak found',
  leak: 'LEAK FOUND',
  'threshold-breached': 'THRESHOLD BREACHED',
  'login-failed': 'LOGIN FAILED',
  'target-unreachable': 'TARGET UNREACHABLE',
  inconclusive: 'INCONCLUSIVE: too little was checked to say clean',
  interrupted: 'INTERRUPTED',
}

/** `evicted 7,200 (c_1, c_2 …)  too-large 3 (big)` */
export function cookieDrops(s: ReportSummary): string {
  return Object.entries(s.cookiesDropped)
    .map(([reason, d]) => {
      const names = d.names.map((n) => (n === '' ? '(nameless)' : n))
      return `${reason} ${formatInt(d.count)} (${names.join(', ')}${d.count > names.length ? ' …' : ''})`
    })
    .join('  ')
}

/** Responses that tell nothing about a leak (summary.unchecked, all reasons). */
export function uncheckedTotal(s: ReportSummary): number {
  return s.unchecked.truncated + s.unchecked.binary + s.unchecked.withoutOwner
}

/** VUs in flight listed per finding by the terminal and HTML reports, besides likely sources. */
export const IN_FLIGHT_SHOWN = 5

/**
 * The in-flight VUs to show: every likely source first, then the first `others` of the rest;
 * `more` counts those left out.
 */
export function inFlightShown(
  concurrent: readonly FindingConcurrent[],
  others = IN_FLIGHT_SHOWN
): { shown: FindingConcurrent[]; more: number } {
  const sources = concurrent.filter((c) => c.likelySource)
  const rest = concurrent.filter((c) => !c.likelySource)
  return { shown: [...sources, ...rest.slice(0, others)], more: Math.max(0, rest.length - others) }
}

/** `mary shown tom, ann` or `grace` (warnings name no foreign account). */
export function groupWho(g: FindingGroup): string {
  return g.foreign.length === 0
    ? g.owner.id
    : `${g.owner.id} shown ${g.foreign.map((f) => f.id).join(', ')}`
}

/** `likely source in flight in 480 of 482` for a leak group of several; '' otherwise. */
export function groupSources(g: FindingGroup): string {
  return g.severity === 'leak' && g.count > 1
    ? `likely source in flight in ${formatInt(g.withLikelySource)} of ${formatInt(g.count)}`
    : ''
}

/** `3,200 more groups (4,100 findings) past the limit of 1,000`; '' when none were omitted. */
export function omittedLine(list: GroupList, limit: number): string {
  const { groups, findings, estimated } = list.omitted
  if (findings === 0) {
    return ''
  }
  return `${estimated ? 'about ' : ''}${formatInt(groups)} more group(s) (${formatInt(findings)} findings) past the report's limit of ${formatInt(limit)} groups: counted, not listed`
}
