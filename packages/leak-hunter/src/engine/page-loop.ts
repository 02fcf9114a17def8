// The closed model's hot path: one VU's iterations driven by undici callbacks, with no promise
// or async frame per request (three async layers measured ~4 µs of ~50 per request).
import type { EngineContext } from './engine-context.js'
import { dispatchRequest } from './http-client.js'
import type { HttpResponse } from './http-response.js'
import type { ResponseSink } from './http-client.js'
import { StepStart, beginStep, failStep, finishStep } from './perform-step.js'
import { sleep } from './virtual-user.js'
import type { VirtualUser } from './virtual-user.js'

/**
 * Runs `vu` through iterations until the run stops or its iteration budget is spent: the same
 * steps, order, RNG draws and think times as VirtualUser.runIteration, as a callback chain.
 */
export class PageLoop implements ResponseSink {
  readonly #ctx: EngineContext
  readonly #vu: VirtualUser
  #resolve: () => void = noop
  #reject: (error: unknown) => void = noop
  #count = 0
  #page = 0
  #start: StepStart | undefined
  #response: HttpResponse | undefined
  #error: Error | undefined
  // Bound once: handed to queueMicrotask / then for every request without a new closure.
  readonly #afterResponse = (): void => this.#guard(this.#completeStep)
  readonly #nextPage = (): void => this.#guard(this.#step)

  constructor(ctx: EngineContext, vu: VirtualUser) {
    this.#ctx = ctx
    this.#vu = vu
  }

  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
      this.#guard(this.#iterate)
    })
  }

  onResponse(response: HttpResponse): void {
    this.#response = response
    // Called from inside undici's parser: continue once it has finished with this response.
    queueMicrotask(this.#afterResponse)
  }

  onFailure(error: Error): void {
    this.#error = error
    queueMicrotask(this.#afterResponse)
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
    let dispatcher
    try {
      dispatcher = ctx.connections.forVu(this.#vu.id)
    } catch (err) {
      this.onFailure(err as Error)
      return
    }
    dispatchRequest(dispatcher, start.built.request, ctx.connections.maxBodyBytes, this)
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
