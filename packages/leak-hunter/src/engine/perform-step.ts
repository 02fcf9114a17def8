// One request of one VU: send, time, scan through the Detector, check status, extract. Every
// outcome is counted on the step (step-stats.ts), so a report can say what failed and how often.
import { isBinaryContentType } from '@crosstalk/detect'
import type { Account, Finding } from '../detect/types.js'
import type { Allowlist } from '@crosstalk/detect'
import {
  AbortedError,
  HuntError,
  ResponseIncompleteError,
  TargetUnreachableError,
  UnexpectedStatusError,
} from '../errors.js'
import { extractValue } from '../scenario/extract.js'
import type { TemplateScope } from '../scenario/template.js'
import type { RequestStep } from '../scenario/types.js'
import { buildRequest } from './build-request.js'
import type { BuiltRequest } from './build-request.js'
import type { CookieJar } from './cookie-jar.js'
import type { EngineContext } from './engine-context.js'
import { PartialResponse } from './http-client.js'
import type { HttpResponse } from './http-response.js'
import { PhaseEndError } from './request-deadlines.js'
import { StepSample, StepSuccess } from './step-sample.js'
import type { StepStats } from './step-stats.js'

export interface VuState {
  id: number
  account: Account
  jar: CookieJar
  vars: Map<string, string>
  /** What templates read: the account's fields and vars (one object for the VU's life). */
  scope: TemplateScope
  /** Requests buildRequest may reuse, per step. */
  requests: Map<RequestStep, BuiltRequest>
}

export interface StepOptions {
  expectOwnMarker: boolean
  allowlist: Allowlist | undefined
  /** performance.now() of the scheduled start (open model): latency counts from here. */
  scheduledAt?: number
}

export type StepResult =
  | { readonly ok: true; readonly response: HttpResponse; ownMarker(): boolean }
  | {
      ok: false
      error: HuntError
      network: boolean
      /** The run or the login phase ended first: not the target's failure. */
      cutOff: boolean
      response?: HttpResponse
    }

/** A step whose request is built and (about to be) sent; finishStep or failStep completes it. */
export class StepStart {
  readonly step: RequestStep
  readonly stats: StepStats
  readonly options: StepOptions
  readonly built: BuiltRequest
  readonly ticket: number
  readonly started: number

  constructor(
    step: RequestStep,
    stats: StepStats,
    options: StepOptions,
    built: BuiltRequest,
    ticket: number
  ) {
    this.step = step
    this.stats = stats
    this.options = options
    this.built = built
    this.ticket = ticket
    this.started = performance.now()
  }
}

/** Builds the request and marks the VU in flight; a failure result when the step cannot be built. */
export function beginStep(
  ctx: EngineContext,
  vu: VuState,
  step: RequestStep,
  options: StepOptions
): StepStart | StepResult {
  const stats = ctx.steps.of(step)
  stats.sent++
  let built
  try {
    built = buildRequest(step, ctx.scenario.target, vu.scope, vu.jar, vu.requests)
  } catch (err) {
    const error = asHuntError(err)
    ctx.metrics.recordError(Date.now())
    stats.fail(error.message, true)
    return { ok: false, error, network: false, cutOff: false }
  }
  return new StepStart(step, stats, options, built, ctx.registry.begin(vu.id, vu.account.index))
}

export async function performStep(
  ctx: EngineContext,
  vu: VuState,
  step: RequestStep,
  options: StepOptions
): Promise<StepResult> {
  const start = beginStep(ctx, vu, step, options)
  if (!(start instanceof StepStart)) {
    return start
  }
  let response: HttpResponse
  try {
    response = await ctx.connections.send(vu.id, start.built.request, start.started)
  } catch (err) {
    return failStep(ctx, vu, start, err)
  }
  return finishStep(ctx, vu, start, response)
}

/** The request got no response: the run or the phase ended, or the target could not be reached. */
export function failStep(
  ctx: EngineContext,
  vu: VuState,
  start: StepStart,
  err: unknown
): StepResult {
  ctx.registry.end(vu.id, vu.account.index)
  const cause = err instanceof PartialResponse ? err.error : err
  if (ctx.stop.aborted || cause instanceof PhaseEndError) {
    // Cut off by the end of the run or of the login phase: neither a response nor an error.
    ctx.metrics.cutOff++
    return { ok: false, error: new AbortedError('the run ended'), network: false, cutOff: true }
  }
  ctx.metrics.recordError(Date.now())
  ctx.metrics.unanswered++
  // Headers came but the body never completed: the target is there, the response is not.
  const partial = err instanceof PartialResponse
  const e = (partial ? err.error : err) as Error & { code?: string }
  const what = partial ? 'the body did not complete' : 'no response'
  const message = `${start.stats.request}: ${what}: ${e.code ?? e.name}: ${e.message}`
  start.stats.fail(message, true)
  return {
    ok: false,
    error: partial
      ? new ResponseIncompleteError(`${start.step.name}: ${message}`, { cause: e })
      : new TargetUnreachableError(`${start.step.name}: ${message}`, { cause: e }),
    network: !partial,
    cutOff: false,
  }
}

/** Times, scans and checks a response, then runs the step's extractions. */
export function finishStep(
  ctx: EngineContext,
  vu: VuState,
  start: StepStart,
  response: HttpResponse
): StepResult {
  const { step, options, built, stats } = start
  const now = Date.now()
  const metrics = ctx.metrics
  const latencyMs = response.receivedAt - (options.scheduledAt ?? start.started)
  const rawSetCookie = response.headerValues('set-cookie')
  // Most responses set no cookie: skip the jar and share one empty list (the detector only reads it).
  const setCookies =
    rawSetCookie === undefined ? NO_COOKIES : vu.jar.storeFromResponse(built.url, rawSetCookie)
  const sample = new StepSample(ctx, start.ticket, vu, step, response, now, options, setCookies)
  metrics.recordRequest(now, latencyMs)
  metrics.checked++
  stats.responses++
  if (response.truncated) {
    metrics.truncated++
  } else if (response.contentType !== undefined && isBinaryContentType(response.contentType)) {
    metrics.binary++
  }
  const findings = ctx.detector.inspect(sample)
  ctx.registry.end(vu.id, vu.account.index)
  const result = checkResponse(ctx, vu, start, response, now)
  // Reported once the step's extractions ran: a token this very response handed over is then a
  // value the VU holds, and redacted from the evidence.
  if (findings.length > 0) {
    report(ctx, findings, now)
  }
  ctx.secrets.settle()
  return result
}

function checkResponse(
  ctx: EngineContext,
  vu: VuState,
  start: StepStart,
  response: HttpResponse,
  now: number
): StepResult {
  const { step, built, stats, options } = start
  const expected =
    step.expect.length === 0
      ? response.status >= 200 && response.status < 400
      : step.expect.includes(response.status)
  if (!expected) {
    ctx.metrics.recordError(now)
    const want = step.expect.length === 0 ? '2xx or 3xx' : step.expect.join(' or ')
    const message = `${stats.request} returned ${response.status}, expected ${want}`
    stats.fail(message, true)
    return {
      ok: false,
      error: new UnexpectedStatusError(`${step.name}: ${message}`),
      network: false,
      cutOff: false,
      response,
    }
  }
  for (const extraction of step.extract) {
    try {
      const value = extractValue(extraction.rule, {
        headers: response.headers,
        body: response.body,
        cookie: (name) => vu.jar.get(built.url, name),
      })
      setVar(ctx, vu, extraction.name, value)
    } catch (err) {
      ctx.metrics.recordError(now)
      const error = asHuntError(err, `extract ${extraction.name}: `)
      stats.fail(error.message, true)
      return {
        ok: false,
        error: asHuntError(error, `${step.name}: `),
        network: false,
        cutOff: false,
        response,
      }
    }
  }
  return new StepSuccess(ctx, vu, response, options.allowlist)
}

/** Extracted values are secrets: the book follows what each VU holds. */
function setVar(ctx: EngineContext, vu: VuState, name: string, value: string): void {
  const old = vu.vars.get(name)
  if (old === value) {
    return
  }
  vu.vars.set(name, value)
  ctx.secrets.hold(value)
  if (old !== undefined) {
    ctx.secrets.release(old)
  }
}

function report(ctx: EngineContext, findings: readonly Finding[], now: number): void {
  if (findings.some((f) => f.severity === 'leak')) {
    ctx.metrics.recordLeakingResponse(now)
  }
  for (const finding of findings) {
    ctx.onFinding(finding)
  }
}

const NO_COOKIES: Array<{ name: string; value: string }> = []

function asHuntError(err: unknown, prefix = ''): HuntError {
  if (err instanceof HuntError) {
    return prefix === '' ? err : new HuntError(err.code, prefix + err.message, { cause: err })
  }
  // Anything else is a bug in the hunter, not a finding about the target.
  throw err
}
