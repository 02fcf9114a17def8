// Why a verdict is what it is, in sentences a reviewer can quote: counts exact, limits named by
// the scenario field that sets them, the failing steps' first messages.
import type {
  LostPart,
  PhaseReport,
  ReportSummary,
  StepSummary,
  ThresholdResult,
  Verdict,
} from '../report/types.js'
import { failureLine, formatInt, formatThreshold } from '../report/format.js'

export interface ReasonInput {
  verdict: Verdict
  summary: ReportSummary
  thresholds: readonly ThresholdResult[]
  target: { address: string; error?: string }
  phases: readonly PhaseReport[]
  pagesChecked: number
  lost?: readonly LostPart[]
}

/** Accounts named per lost part in a reason; the report's `scale.lost` lists more. */
const LOST_ACCOUNTS = 5

/** `worker 2 (pid 4242) exited with signal SIGKILL during load: its 16 VUs (ann, bob, …) ran no more` */
export function lostLine(p: LostPart): string {
  const who = `${p.kind} ${p.index + 1}${p.pid === undefined ? '' : ` (pid ${p.pid}${p.host === undefined ? '' : ` on ${p.host}`})`}`
  const shown = p.accounts.slice(0, LOST_ACCOUNTS)
  const more = p.accounts.length - shown.length + p.accountsOmitted
  const accounts =
    shown.length === 0 ? '' : ` (${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''})`
  const during = p.phase === undefined ? '' : ` during ${p.phase}`
  return `${who} ${p.reason}${during}: its ${formatInt(p.vus)} VU(s)${accounts} ran no more`
}

/** Failure lines of the steps of `phase` shown in a reason; the report lists them all. */
const STEP_LINES = 3

function stepLines(steps: readonly StepSummary[], phase?: StepSummary['phase']): string[] {
  return steps
    .filter((s) => (phase === undefined || s.phase === phase) && s.messages.length > 0)
    .flatMap((s) => s.messages.slice(0, 1).map((m) => failureLine(s, m)))
    .slice(0, STEP_LINES)
}

export function verdictReasons(input: ReasonInput): string[] {
  const reasons = ownReasons(input)
  // A lost worker or agent is said whatever the verdict (inconclusive lists it already).
  return input.verdict === 'inconclusive'
    ? reasons
    : [...reasons, ...(input.lost ?? []).map(lostLine)]
}

function ownReasons(input: ReasonInput): string[] {
  const s = input.summary
  const failed = input.thresholds.filter((t) => !t.ok)
  const loginPhase = input.phases.find((p) => p.name === 'login')
  switch (input.verdict) {
    case 'clean':
      return []
    case 'leak': {
      const limit = input.thresholds.find((t) => t.name === 'leaks')?.limit ?? 0
      return [
        `${formatInt(s.leaks.responses)} leaking response(s) with ${formatInt(s.leaks.findings)} leak finding(s); ${formatInt(limit)} tolerated (thresholds.leaks)`,
      ]
    }
    case 'interrupted': {
      const phase = input.phases.find((p) => p.end === 'interrupted')
      return [
        `interrupted during the ${phase?.name ?? 'run'} phase: the report covers what ran until then`,
      ]
    }
    case 'target-unreachable':
      return input.target.error !== undefined
        ? [input.target.error]
        : [
            `no login request got a response from ${input.target.address}`,
            ...stepLines(s.steps, 'login'),
          ]
    case 'login-failed': {
      const head =
        loginPhase?.end === 'deadline'
          ? `no VU logged in before the login phase ended: ${loginPhase.detail ?? ''}`.trim()
          : `no VU logged in: ${formatInt(s.login.failedAttempts)} of ${formatInt(s.login.attempts)} login attempts failed`
      return [head, ...stepLines(s.steps, 'login')]
    }
    case 'inconclusive': {
      const out = failed
        .filter((t) => t.name.startsWith('inconclusive.'))
        .map((t) =>
          t.name === 'inconclusive.unchecked'
            ? `${formatThreshold(t, true)}: ${formatInt(s.unchecked.truncated)} cut at load.maxBodyBytes, ${formatInt(s.unchecked.binary)} of a binary type, ${formatInt(s.unchecked.withoutOwner)} pages without their owner's marker`
            : formatThreshold(t, true)
        )
      if (input.pagesChecked === 0) {
        out.push('no page response was checked in the load phase')
      }
      out.push(...(input.lost ?? []).map(lostLine))
      return [...out, ...stepLines(s.steps)]
    }
    case 'threshold-breached':
      return failed.map((t) => formatThreshold(t, true))
  }
}
