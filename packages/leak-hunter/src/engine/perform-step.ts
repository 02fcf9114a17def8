// One request of one VU: send, time, scan through the Detector, check status, extract.
import { performance } from 'node:perf_hooks'
import type { Allowlist } from '../detect/allowlist/allowlist.js'
import { showsOwner } from '../detect/detector.js'
import type { Account, ResponseSample } from '../detect/types.js'
import {
  AbortedError,
  HuntError,
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
import { sendRequest } from './http-client.js'
import type { HttpResponse } from './http-response.js'
import type { Concurrent, InFlightRegistry } from './in-flight-registry.js'

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
  | { ok: false; error: HuntError; network: boolean; response?: HttpResponse }

/** A step whose request is built and (about to be) sent; finishStep or failStep completes it. */
export class StepStart {
  readonly step: RequestStep
  readonly options: StepOptions
  readonly built: BuiltRequest
  readonly ticket: number
  readonly started: number

  constructor(step: RequestStep, options: StepOptions, built: BuiltRequest, ticket: number) {
    this.step = step
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
  let built
  try {
    built = buildRequest(step, ctx.scenario.target, vu.scope, vu.jar, vu.requests)
  } catch (err) {
    ctx.metrics.recordError(Date.now())
    return { ok: false, error: asHuntError(err), network: false }
  }
  return new StepStart(step, options, built, ctx.registry.begin(vu.id, vu.account.index))
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
    response = await sendRequest(
      ctx.connections.forVu(vu.id),
      start.built.request,
      ctx.connections.maxBodyBytes
    )
  } catch (err) {
    return failStep(ctx, vu, start, err)
  }
  return finishStep(ctx, vu, start, response)
}

/** The request got no response: the run ended, or the target could not be reached. */
export function failStep(
  ctx: EngineContext,
  vu: VuState,
  start: StepStart,
  err: unknown
): StepResult {
  ctx.registry.end(vu.id, vu.account.index)
  if (ctx.stop.aborted) {
    // Cut off by the end of the run: neither a response nor an error.
    return { ok: false, error: new AbortedError('the run ended'), network: false }
  }
  ctx.metrics.recordError(Date.now())
  ctx.metrics.unanswered++
  const e = err as Error & { code?: string }
  return {
    ok: false,
    error: new TargetUnreachableError(
      `${start.step.method} ${start.built.url.pathname}: ${e.code ?? e.name}: ${e.message}`,
      { cause: err }
    ),
    network: true,
  }
}

/** Times, scans and checks a response, then runs the step's extractions. */
export function finishStep(
  ctx: EngineContext,
  vu: VuState,
  start: StepStart,
  response: HttpResponse
): StepResult {
  const { step, options, built } = start
  const now = Date.now()
  const latencyMs = response.receivedAt - (options.scheduledAt ?? start.started)
  const rawSetCookie = response.headerValues('set-cookie')
  // Most responses set no cookie: skip the jar and share one empty list (the detector only reads it).
  const setCookies =
    rawSetCookie === undefined ? NO_COOKIES : vu.jar.storeFromResponse(built.url, rawSetCookie)
  const sample = new StepSample(
    ctx.registry,
    start.ticket,
    vu,
    step,
    built.url.href,
    response,
    now,
    options,
    setCookies
  )
  ctx.metrics.recordRequest(now, latencyMs)
  ctx.metrics.checked++
  const findings = ctx.detector.inspect(sample)
  ctx.registry.end(vu.id, vu.account.index)
  for (const finding of findings) {
    ctx.onFinding(finding)
  }
  const expected =
    step.expect.length === 0
      ? response.status >= 200 && response.status < 400
      : step.expect.includes(response.status)
  if (!expected) {
    ctx.metrics.recordError(now)
    const want = step.expect.length === 0 ? '2xx or 3xx' : step.expect.join(' or ')
    return {
      ok: false,
      error: new UnexpectedStatusError(
        `${step.name}: ${step.method} ${built.url.pathname} returned ${response.status}, expected ${want}`
      ),
      network: false,
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
      vu.vars.set(extraction.name, value)
    } catch (err) {
      ctx.metrics.recordError(now)
      return {
        ok: false,
        error: asHuntError(err, `${step.name}: extract ${extraction.name}: `),
        network: false,
        response,
      }
    }
  }
  return new StepSuccess(ctx, vu, response, options.allowlist)
}

const NO_COOKIES: Array<{ name: string; value: string }> = []

/** A response as the detector sees it; `concurrent` is a prototype getter, not a per-request closure. */
class StepSample implements ResponseSample {
  readonly vu: number
  readonly owner: number
  readonly page: string
  readonly method: string
  readonly url: string
  readonly status: number
  readonly body: Uint8Array
  readonly time: number
  readonly expectOwnMarker: boolean
  readonly allowlist: Allowlist | undefined
  readonly setCookies: Array<{ name: string; value: string }>
  readonly #registry: InFlightRegistry
  readonly #ticket: number
  readonly #response: HttpResponse

  constructor(
    registry: InFlightRegistry,
    ticket: number,
    vu: VuState,
    step: RequestStep,
    url: string,
    response: HttpResponse,
    time: number,
    options: StepOptions,
    setCookies: Array<{ name: string; value: string }>
  ) {
    this.vu = vu.id
    this.owner = vu.account.index
    this.page = step.name
    this.method = step.method
    this.url = url
    this.status = response.status
    this.#response = response
    this.body = response.bytes
    this.time = time
    this.expectOwnMarker = options.expectOwnMarker
    this.allowlist = options.allowlist
    this.setCookies = setCookies
    this.#registry = registry
    this.#ticket = ticket
  }

  /** Every header, parsed only when something needs them all (the evidence of a finding). */
  get headers(): Record<string, string | string[] | undefined> {
    return this.#response.headers
  }

  header(name: string): string | undefined {
    return this.#response.header(name)
  }

  // Computed only if the detector asks (usually only for a finding), still before `end`.
  get concurrent(): Concurrent[] {
    return this.#registry.concurrentSince(this.vu, this.#ticket)
  }
}

/** A successful step; the own-marker check runs only when a login step asks for it. */
class StepSuccess {
  readonly ok = true
  readonly response: HttpResponse
  readonly #ctx: EngineContext
  readonly #vu: VuState
  readonly #allowlist: Allowlist | undefined

  constructor(
    ctx: EngineContext,
    vu: VuState,
    response: HttpResponse,
    allowlist: Allowlist | undefined
  ) {
    this.#ctx = ctx
    this.#vu = vu
    this.response = response
    this.#allowlist = allowlist
  }

  /** The owner's marker outside the allowlisted spans (a public panel naming them proves nothing). */
  ownMarker(): boolean {
    const { bytes } = this.response
    const contentType = this.response.headerValues('content-type')?.[0]
    return showsOwner(this.#ctx.index, bytes, contentType, this.#allowlist, this.#vu.account.index)
  }
}

function asHuntError(err: unknown, prefix = ''): HuntError {
  if (err instanceof HuntError) {
    return prefix === '' ? err : new HuntError(err.code, prefix + err.message, { cause: err })
  }
  // Anything else is a bug in the hunter, not a finding about the target.
  throw err
}
