// The closed model's hot path: one VU's iterations driven by undici callbacks, with no promise
// or async frame per request (three async layers measured ~4 µs of ~50 per request). Responses
// are handled in TurnBatch's rounds, with those of the other VUs that arrived in the same turn.
import type { EngineContext } from './engine-context.js'
import type { HttpResponse } from './http-response.js'
import { PartialResponse } from './http-client.js'
import type { ResponseSink } from './http-client.js'
import { StepStart, beginStep, failStep, finishStep } from './perform-step.js'
import type { TurnBatch, TurnMember } from './turn-batch.js'
import { sleep } from './virtual-user.js'
import type { VirtualUser } from './virtual-user.js'

/**
 * Runs `vu` through iterations until the run stops or its iteration budget is spent: the same
 * steps, order, RNG draws and think times as VirtualUser.runIteration, as a callback chain.
 */
export class PageLoop implements ResponseSink, TurnMember {
  readonly #ctx: EngineContext
  readonly #vu: VirtualUser
  readonly #batch: TurnBatch
  #resolve: () => void = noop
  #reject: (error: unknown) => void = noop
  #count = 0
  #page = 0
  #start: StepStart | undefined
  #response: HttpResponse | undefined
  #error: Error | undefined
  /** settle() went through: proceed() may send the next request. */
  #settled = false
  // Bound once: handed to setImmediate / then for every request without a new closure.
  readonly #nextPage = (): void => this.#guard(this.#step)

  constructor(ctx: EngineContext, vu: VirtualUser, batch: TurnBatch) {
    this.#ctx = ctx
    this.#vu = vu
    this.#batch = batch
  }

  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
      this.#guard(this.#iterate)
    })
  }

  // Called from inside undici's parser (or at once, for a request undici rejects): the response is
  // handled once this turn's I/O is done.
  onResponse(response: HttpResponse): void {
    this.#response = response
    this.#batch.add(this)
  }

  onFailure(error: Error, partial?: boolean): void {
    this.#error = partial === true ? new PartialResponse(error) : error
    this.#batch.add(this)
  }

  settle(): void {
    this.#settled = false
    this.#guard(this.#completeStep)
  }

  proceed(): void {
    if (this.#settled) {
      this.#guard(this.#afterStep)
    }
  }

  /** A bug thrown anywhere in the chain rejects run(), as it would reject an async loop. */
  #guard(step: (this: PageLoop) => void): void {
    try {
      step.call(this)
    } catch (err) {
      this.#reject(err)
    }
  }

  #iterate(): void {
    const { iterations } = this.#ctx.scenario.load
    if (this.#ctx.stop.aborted || (iterations !== undefined && this.#vu.iteration >= iterations)) {
      this.#resolve()
      return
    }
    this.#count = this.#vu.startIteration()
    this.#page = 0
    this.#step()
  }

  #step(): void {
    if (this.#page >= this.#count) {
      this.#iterate()
      return
    }
    if (this.#ctx.stop.aborted) {
      this.#resolve()
      return
    }
    const ctx = this.#ctx
    const page = this.#vu.pageAt(this.#page)
    // A page step carries expectOwnMarker and allowlist itself: it is its own options.
    const start = beginStep(ctx, this.#vu, page, page)
    if (!(start instanceof StepStart)) {
      // Not sent (a template failed): yield before the next try, or a step that always fails
      // would spin without letting the deadline timer fire.
      this.#thinkThen(true)
      return
    }
    this.#start = start
    ctx.connections.dispatch(this.#vu.id, start.built.request, this, start.started)
  }

  #completeStep(): void {
    const start = this.#start as StepStart
    const response = this.#response
    this.#start = undefined
    this.#response = undefined
    if (response !== undefined) {
      finishStep(this.#ctx, this.#vu, start, response)
    } else {
      const error = this.#error
      this.#error = undefined
      failStep(this.#ctx, this.#vu, start, error)
    }
    this.#settled = true
  }

  #afterStep(): void {
    this.#thinkThen(false)
  }

  #thinkThen(yieldFirst: boolean): void {
    this.#page++
    const ms = this.#vu.thinkMs()
    if (ms > 0 && !this.#ctx.stop.aborted) {
      void sleep(ms, this.#ctx.stop).then(this.#nextPage)
    } else if (yieldFirst) {
      setImmediate(this.#nextPage)
    } else {
      this.#step()
    }
  }
}

function noop(): void {}
