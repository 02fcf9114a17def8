// A response as the detector sees it, and a successful step. Both read what they need lazily: most
// responses yield no finding, so the evidence (every header, the display URL) is never built.
import type { Allowlist } from '@crosstalk/detect'
import { showsOwner } from '../detect/detector.js'
import type { ResponseSample } from '../detect/types.js'
import type { TemplatePart } from '../scenario/template.js'
import type { RequestStep } from '../scenario/types.js'
import { displayHref } from './build-request.js'
import type { EngineContext } from './engine-context.js'
import type { HttpResponse } from './http-response.js'
import type { Concurrent } from './in-flight-registry.js'
import type { StepOptions, VuState } from './perform-step.js'

/** Variables that are counters, not secrets: shown in a report's URLs. */
const PUBLIC_VARS = new Set(['vu', 'iteration'])

/** A response as the detector sees it; `concurrent` and `url` are getters, not per-request closures. */
export class StepSample implements ResponseSample {
  readonly vu: number
  readonly owner: number
  readonly page: string
  readonly method: string
  readonly status: number
  readonly body: Uint8Array
  readonly time: number
  readonly expectOwnMarker: boolean
  readonly allowlist: Allowlist | undefined
  readonly setCookies: Array<{ name: string; value: string }>
  readonly #ctx: EngineContext
  readonly #state: VuState
  readonly #step: RequestStep
  readonly #ticket: number
  readonly #response: HttpResponse

  constructor(
    ctx: EngineContext,
    ticket: number,
    vu: VuState,
    step: RequestStep,
    response: HttpResponse,
    time: number,
    options: StepOptions,
    setCookies: Array<{ name: string; value: string }>
  ) {
    this.#ctx = ctx
    this.#state = vu
    this.#step = step
    this.vu = vu.id
    this.owner = vu.account.index
    this.page = step.name
    this.method = step.method
    this.status = response.status
    this.#response = response
    this.body = response.bytes
    this.time = time
    this.expectOwnMarker = options.expectOwnMarker
    this.allowlist = options.allowlist
    this.setCookies = setCookies
    this.#ticket = ticket
  }

  /** The request URL with credentials and extracted values in it shown as [redacted]. */
  get url(): string {
    const secretColumns = this.#ctx.secretColumns
    const hidden = (part: TemplatePart): boolean =>
      part.kind === 'var'
        ? !PUBLIC_VARS.has(part.name)
        : part.kind === 'account' && secretColumns.has(part.column)
    return displayHref(this.#step, this.#ctx.scenario.target, this.#state.scope, hidden)
  }

  /** Every header, parsed only when something needs them all (the evidence of a finding). */
  get headers(): Record<string, string | string[] | undefined> {
    return this.#response.headers
  }

  header(name: string): string | undefined {
    return name === 'content-type' ? this.#response.contentType : this.#response.header(name)
  }

  // Computed only if the detector asks (usually only for a finding), still before `end`.
  get concurrent(): Concurrent[] {
    return this.#ctx.registry.concurrentSince(this.vu, this.#ticket)
  }
}

/** A successful step; the own-marker check runs only when a login step asks for it. */
export class StepSuccess {
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
    const { bytes, contentType } = this.response
    return showsOwner(this.#ctx.index, bytes, contentType, this.#allowlist, this.#vu.account.index)
  }
}
