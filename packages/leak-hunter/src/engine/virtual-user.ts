// A virtual user: one account, one cookie jar and one RNG for its whole life.
import { performance } from 'node:perf_hooks'
import type { Account } from '../detect/types.js'
import { LoginFailedError } from '../errors.js'
import type { HuntError } from '../errors.js'
import type { TemplateScope } from '../scenario/template.js'
import type { PageStep, RequestStep } from '../scenario/types.js'
import type { BuiltRequest } from './build-request.js'
import { CookieJar } from './cookie-jar.js'
import type { EngineContext } from './engine-context.js'
import { performStep } from './perform-step.js'
import type { StepOptions, VuState } from './perform-step.js'
import { createRandom, pickWeighted } from './seeded-random.js'
import type { Random } from './seeded-random.js'

export interface LoginResult {
  ok: boolean
  /** The last failure; `network` when the target could not be reached at all. */
  error?: HuntError
  network: boolean
  /** The run or the login phase ended before this VU's login finished. */
  cutOff?: boolean
}

export class VirtualUser implements VuState {
  readonly id: number
  readonly account: Account
  // Never reset between iterations or login attempts: a session lives as long as the VU.
  readonly jar: CookieJar
  readonly vars = new Map<string, string>()
  readonly scope: TemplateScope
  readonly requests = new Map<RequestStep, BuiltRequest>()
  readonly random: Random
  iteration = 0
  readonly #ctx: EngineContext
  readonly #weights: number[]

  constructor(ctx: EngineContext, id: number, account: Account) {
    this.#ctx = ctx
    this.id = id
    this.account = account
    this.jar = new CookieJar(Date.now, ctx.jarObserver)
    this.scope = { account: account.fields, vars: this.vars }
    this.random = createRandom(ctx.scenario.load.seed, `vu:${id}`)
    this.#weights = ctx.scenario.pages.map((p) => p.weight)
    this.vars.set('vu', String(id))
    this.vars.set('iteration', '0')
  }

  /** Run the login flow, retrying the whole flow up to load.loginRetries times. */
  async login(): Promise<LoginResult> {
    const ctx = this.#ctx
    const attempts = ctx.scenario.load.loginRetries + 1
    let last: LoginResult = { ok: false, network: false, cutOff: true }
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (ctx.stop.aborted || ctx.loginStop.aborted) {
        // After a failed attempt the VU failed (with that reason); before any, it never began.
        return last
      }
      const started = performance.now()
      last = await this.#loginOnce()
      if (last.cutOff === true) {
        // The phase ended mid-attempt: that is no failure of the target's.
        return last
      }
      ctx.metrics.loginAttempts++
      this.#ctx.onLogin({
        ms: performance.now() - started,
        vu: this.id,
        account: this.account.id,
        ok: last.ok,
        attempt,
        ...(last.error === undefined
          ? {}
          : { error: { code: last.error.code, message: last.error.message } }),
      })
      if (last.ok) {
        return last
      }
      ctx.metrics.loginFailedAttempts++
    }
    return last
  }

  async #loginOnce(): Promise<LoginResult> {
    for (const step of this.#ctx.scenario.login) {
      if (this.#ctx.loginStop.aborted) {
        // The login phase ended between two steps: send nothing more.
        return { ok: false, network: false, cutOff: true }
      }
      // Login responses are scanned for foreign markers too; a missing own marker is a login
      // failure, never a leak, so expectOwnMarker stays false here.
      const result = await performStep(this.#ctx, this, step, {
        expectOwnMarker: false,
        allowlist: step.allowlist,
      })
      if (!result.ok) {
        return {
          ok: false,
          error: new LoginFailedError(result.error.message, { cause: result.error }),
          network: result.network,
          cutOff: result.cutOff,
        }
      }
      if (step.verify && !result.ownMarker()) {
        // The same words for every VU, so the report can count them per step.
        const message = `the response does not show the owner's marker (${this.#ctx.scenario.markers.columns.join(', ')})`
        this.#ctx.steps.of(step).fail(message, false)
        return {
          ok: false,
          error: new LoginFailedError(`${step.name}: ${message}`),
          network: false,
        }
      }
    }
    return { ok: true, network: false }
  }

  /** Starts the next iteration; returns how many pages it visits. */
  startIteration(): number {
    this.iteration++
    this.vars.set('iteration', String(this.iteration))
    const { pages, order } = this.#ctx.scenario
    return order === 'sequence' ? pages.length : 1
  }

  /** Page `i` of the iteration: in order, or one weighted pick (draws from the VU's RNG). */
  pageAt(i: number): PageStep {
    const { pages, order } = this.#ctx.scenario
    return order === 'sequence' ? pages[i]! : pages[pickWeighted(this.#weights, this.random)]!
  }

  /** One iteration; stops early when the run is stopping. */
  async runIteration(scheduledAt?: number): Promise<void> {
    const count = this.startIteration()
    for (let i = 0; i < count; i++) {
      if (this.#ctx.stop.aborted) {
        return
      }
      const page = this.pageAt(i)
      // A page step carries expectOwnMarker and allowlist itself: pass it as the options.
      // Only the iteration's first request was scheduled; later ones follow it.
      const options: StepOptions =
        i !== 0 || scheduledAt === undefined
          ? page
          : { expectOwnMarker: page.expectOwnMarker, allowlist: page.allowlist, scheduledAt }
      await performStep(this.#ctx, this, page, options)
      const ms = this.thinkMs()
      if (ms > 0 && !this.#ctx.stop.aborted) {
        await sleep(ms, this.#ctx.stop)
      }
    }
  }

  /** The next think time; always draws from the VU's RNG so a seed replays the same run. */
  thinkMs(): number {
    const { minMs, maxMs } = this.#ctx.scenario.thinkTime
    return minMs + (maxMs - minMs) * this.random.next()
  }
}

/** Resolves after `ms` or as soon as `signal` aborts; never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve()
      return
    }
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
