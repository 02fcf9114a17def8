// A node:http ServerResponse under guard. Its writeHead/write/end/flushHeaders are replaced on the
// instance: nothing reaches the socket until the guard has decided. In block mode a scannable,
// personalised body is held until end() (or maxBufferBytes) and scanned whole; a leak replaces it
// with a 500 and no header of the original (no Set-Cookie) is sent. Otherwise the response is
// released and streams through, scanned in windows after the fact (report mode).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { OutgoingMessage } from 'node:http'
import type { GuardCore, HeadPlan, ResponseHead, Subject } from '../guard-core.js'
import { pathOf } from '../guard-core.js'
import type { BodyScan, ForeignMatch } from '../detection/body-scanner.js'
import type { AllowlistRule } from '../options.js'
import type { LeakReason } from '../report/diagnostics.js'
import { BodyWindows } from './body-windows.js'
import type { Callback } from './write-args.js'
import { applyWriteHead, writeArgs } from './write-args.js'

/** A ServerResponse method, taken off the instance. */
type Method = (...args: unknown[]) => unknown

type Phase = 'idle' | 'holding' | 'passing' | 'blocked'

/** The real headersSent, as Node computes it (the instance's own property is the app's view). */
function realHeadersSent(res: OutgoingMessage): boolean {
  // The prototype's getter, run on `res`.
  return Reflect.get(OutgoingMessage.prototype, 'headersSent', res) === true
}

/** A method of `res` as it is now (Node's, or another middleware's wrapper). */
function original(
  res: ServerResponse,
  name: 'writeHead' | 'write' | 'end' | 'flushHeaders'
): Method {
  const method: unknown = Reflect.get(res, name)
  return method as Method
}

export interface GuardedResponseOptions {
  /** Who the response is for; called once, at the response's first output. */
  identify: () => unknown
  expectOwner: () => boolean
  allowlist: readonly AllowlistRule[] | undefined
}

export function guardResponse(
  core: GuardCore,
  req: IncomingMessage,
  res: ServerResponse,
  options: GuardedResponseOptions
): void {
  new GuardedResponse(core, req, res, options)
}

class GuardedResponse {
  readonly #core: GuardCore
  readonly #req: IncomingMessage
  readonly #res: ServerResponse
  readonly #options: GuardedResponseOptions
  // The methods as they were (Node's, or another middleware's): called through #call.
  readonly #writeHead: Method
  readonly #write: Method
  readonly #end: Method
  readonly #flushHeaders: Method
  #phase: Phase = 'idle'
  /** The app has written something: to it the head is sent. */
  #started = false
  #wroteHead = false
  #flushWanted = false
  #ended = false
  #chunks: Buffer[] = []
  #bytes = 0
  #callbacks: Callback[] = []
  #subject: Subject | undefined
  #head: ResponseHead | undefined
  #plan: HeadPlan | undefined
  #windows: BodyWindows | undefined
  #leakReasons: LeakReason[] = []
  #finished = false
  /** The whole body's scan has started. */
  #deciding = false

  constructor(
    core: GuardCore,
    req: IncomingMessage,
    res: ServerResponse,
    options: GuardedResponseOptions
  ) {
    this.#core = core
    this.#req = req
    this.#res = res
    this.#options = options
    this.#writeHead = original(res, 'writeHead')
    this.#write = original(res, 'write')
    this.#end = original(res, 'end')
    this.#flushHeaders = original(res, 'flushHeaders')
    // Instance properties shadow the prototype's methods for this response only.
    res.writeHead = (status: number, message?: unknown, headers?: unknown) =>
      this.#onWriteHead(status, message, headers)
    res.write = (chunk: unknown, encoding?: unknown, cb?: unknown) =>
      this.#onWrite(chunk, encoding, cb)
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) =>
      this.#onEnd(chunk, encoding, cb)) as ServerResponse['end']
    res.flushHeaders = () => this.#onFlushHeaders()
    Object.defineProperty(res, 'headersSent', {
      configurable: true,
      enumerable: true,
      get: () =>
        this.#phase === 'holding' || this.#phase === 'idle' ? this.#started : realHeadersSent(res),
    })
  }

  #onWriteHead(status: number, message: unknown, headers: unknown): ServerResponse {
    if (this.#phase === 'passing') {
      // Node's own implicit header comes through here too.
      return this.#call(this.#writeHead, status, message, headers) as ServerResponse
    }
    if (this.#phase === 'idle' || this.#phase === 'holding') {
      if (this.#started) {
        // What Node says to a second writeHead, or one after write().
        throw Object.assign(new Error('Cannot write headers after they are sent to the client'), {
          code: 'ERR_HTTP_HEADERS_SENT',
        })
      }
      applyWriteHead(this.#res, status, message, headers)
      this.#wroteHead = true
      this.#started = true
    }
    return this.#res
  }

  #onWrite(chunk: unknown, encoding: unknown, cb: unknown): boolean {
    if (this.#phase === 'passing') {
      this.#watch(chunk, encoding)
      return this.#call(this.#write, chunk, encoding, cb) as boolean
    }
    const args = writeArgs(chunk, encoding, cb)
    if (this.#phase === 'blocked' || this.#ended) {
      if (args.callback !== undefined) {
        process.nextTick(args.callback)
      }
      return true
    }
    this.#hold(args.chunk, args.callback)
    this.#start()
    this.#overflowCheck()
    return true
  }

  #onEnd(chunk: unknown, encoding: unknown, cb: unknown): ServerResponse {
    if (this.#phase === 'passing') {
      this.#watch(chunk, encoding)
      this.#call(this.#end, chunk, encoding, cb)
      this.#finishWindows()
      return this.#res
    }
    const args = writeArgs(chunk, encoding, cb)
    if (this.#phase === 'blocked' || this.#ended) {
      if (args.callback !== undefined) {
        process.nextTick(args.callback)
      }
      return this.#res
    }
    this.#ended = true
    this.#hold(args.chunk, args.callback)
    this.#start()
    this.#decide()
    return this.#res
  }

  #onFlushHeaders(): void {
    if (this.#phase === 'passing') {
      this.#call(this.#flushHeaders)
      return
    }
    this.#flushWanted = true
    this.#start()
  }

  #call(method: Method, ...args: unknown[]): unknown {
    return Reflect.apply(method, this.#res, args)
  }

  /** A chunk streaming through: into the scan windows, if any. */
  #watch(chunk: unknown, encoding: unknown): void {
    if (this.#windows !== undefined) {
      const bytes = writeArgs(chunk, encoding, undefined).chunk
      if (bytes !== undefined) {
        this.#windows.add(bytes)
      }
    }
  }

  #hold(chunk: Buffer | undefined, callback: Callback | undefined): void {
    if (chunk !== undefined && chunk.length > 0) {
      this.#chunks.push(chunk)
      this.#bytes += chunk.length
    }
    if (callback !== undefined) {
      this.#callbacks.push(callback)
    }
  }

  /** The first output: identify, plan from the (now final) head. */
  #start(): void {
    if (this.#phase !== 'idle') {
      return
    }
    this.#started = true
    this.#phase = 'holding'
    let identified: unknown
    try {
      identified = this.#options.identify()
    } catch (err) {
      this.#fail(err)
      return
    }
    if (identified instanceof Promise) {
      identified.then(
        (value) => this.#planFor(value),
        (err: unknown) => this.#fail(err)
      )
    } else {
      this.#planFor(identified)
    }
  }

  #planFor(identified: unknown): void {
    if (this.#phase !== 'holding') {
      return
    }
    try {
      const res = this.#res
      this.#subject = this.#core.admit(
        identified,
        this.#options.expectOwner(),
        this.#req.headers.cookie,
        this.#options.allowlist
      )
      const head: ResponseHead = {
        method: this.#req.method ?? 'GET',
        path: pathOf(this.#req.url),
        status: res.statusCode,
        header: (name) => res.getHeader(name),
      }
      this.#head = head
      const plan = this.#core.head(this.#subject, head)
      this.#plan = plan
      const block = this.#core.config.mode === 'block'
      if (plan.reasons.length > 0) {
        if (block) {
          this.#block(plan.reasons, [])
          return
        }
        this.#leakReasons.push(...plan.reasons)
      }
      if (!plan.scan) {
        this.#release(undefined)
        return
      }
      if (this.#core.encodingOf(head) !== undefined) {
        const policy = this.#core.unchecked(this.#subject, head, 'encoded')
        if (policy === 'fail-closed') {
          this.#block([], [], false)
        } else {
          this.#release(undefined)
        }
        return
      }
      if (!block) {
        const windows = this.#newWindows()
        for (const c of this.#chunks) {
          windows.add(c)
        }
        this.#release(windows)
        return
      }
      this.#overflowCheck()
      this.#decide()
    } catch (err) {
      this.#fail(err)
    }
  }

  /** Block mode: more than maxBufferBytes held before the end. */
  #overflowCheck(): void {
    if (
      this.#phase !== 'holding' ||
      this.#plan === undefined ||
      this.#ended ||
      this.#bytes <= this.#core.config.maxBufferBytes
    ) {
      return
    }
    const subject = this.#subject!
    const head = this.#head!
    try {
      if (this.#core.unchecked(subject, head, 'overflow') === 'fail-closed') {
        this.#block([], [], false)
        return
      }
      // Fail open, but not blindly: what is held is scanned, and a leak in it is still stopped.
      const windows = this.#newWindows()
      for (const c of this.#chunks) {
        windows.add(c)
      }
      windows.scanNow()
      if (windows.foreign.length > 0) {
        this.#block(['foreign-identity'], windows.foreign)
        return
      }
      this.#release(windows)
    } catch (err) {
      this.#fail(err)
    }
  }

  /** Block mode, at end(): scan the whole held body (once), then send it or the 500. */
  #decide(): void {
    if (this.#phase !== 'holding' || this.#plan === undefined || !this.#ended || this.#deciding) {
      return
    }
    // end() asks again after the plan (which asks too): an answer from the scan thread comes later.
    this.#deciding = true
    try {
      const body =
        this.#chunks.length === 1
          ? (this.#chunks[0] as Buffer)
          : Buffer.concat(this.#chunks, this.#bytes)
      const scan = this.#core.scanBody(this.#subject!, this.#head!, body)
      if (scan instanceof Promise) {
        scan.then(
          (s) => this.#conclude(body, s),
          (err: unknown) => this.#fail(err)
        )
      } else {
        this.#conclude(body, scan)
      }
    } catch (err) {
      this.#fail(err)
    }
  }

  /** Block mode, the whole body scanned: send it or the 500. */
  #conclude(body: Buffer, scan: BodyScan): void {
    if (this.#phase !== 'holding') {
      return
    }
    try {
      const verdict = this.#core.verdict(this.#subject!, this.#head!, scan)
      if (verdict.reasons.length > 0) {
        this.#block(verdict.reasons, verdict.foreign)
      } else {
        this.#chunks = body.length === 0 ? [] : [body]
        this.#release(undefined)
      }
    } catch (err) {
      this.#fail(err)
    }
  }

  #newWindows(): BodyWindows {
    const subject = this.#subject!
    const head = this.#head!
    return new BodyWindows(this.#core.config.maxBufferBytes, (w) =>
      this.#core.scanWindow(subject, head, w)
    )
  }

  /**
   * Sends the head and everything held; what follows streams through, scanned in `windows` (which
   * has seen what is held already).
   */
  #release(windows: BodyWindows | undefined): void {
    this.#phase = 'passing'
    this.#windows = windows
    const res = this.#res
    if (res.destroyed) {
      this.#chunks = []
      return
    }
    const chunks = this.#chunks
    const callbacks = this.#callbacks
    this.#chunks = []
    this.#callbacks = []
    if (this.#wroteHead) {
      this.#call(this.#writeHead, res.statusCode, res.statusMessage)
    }
    const done: Callback | undefined =
      callbacks.length === 0 ? undefined : (err) => callbacks.forEach((cb) => cb(err))
    if (this.#ended) {
      const body =
        chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
      this.#call(this.#end, body, done)
      this.#finishWindows()
      return
    }
    chunks.forEach((c, i) => this.#call(this.#write, c, i === chunks.length - 1 ? done : undefined))
    if (chunks.length === 0 && done !== undefined) {
      process.nextTick(done)
    }
    if (this.#flushWanted) {
      this.#call(this.#flushHeaders)
    }
  }

  #finishWindows(): void {
    const windows = this.#windows
    const subject = this.#subject
    const head = this.#head
    if (subject === undefined || head === undefined || this.#finished) {
      return
    }
    this.#finished = true
    try {
      const reasons = [...this.#leakReasons]
      let foreign: ForeignMatch[] = []
      if (windows !== undefined) {
        windows.finish()
        const verdict = this.#core.verdict(subject, head, windows)
        reasons.push(...verdict.reasons)
        foreign = [...verdict.foreign]
      }
      if (reasons.length > 0) {
        this.#core.leak(
          subject,
          head,
          reasons,
          foreign,
          this.#core.config.mode === 'block' ? 'passed' : 'reported'
        )
      }
    } catch (err) {
      this.#core.failure(head, err)
    }
  }

  /** Replaces the response by a 500 with none of its headers; or cuts it if its head is out. */
  #block(
    reasons: readonly LeakReason[],
    foreign: Parameters<GuardCore['leak']>[3],
    isLeak = true
  ): void {
    this.#phase = 'blocked'
    const res = this.#res
    const callbacks = this.#callbacks
    this.#chunks = []
    this.#callbacks = []
    if (isLeak) {
      this.#core.leak(this.#subject!, this.#head!, reasons, foreign, 'blocked')
    }
    if (res.destroyed) {
      return
    }
    if (realHeadersSent(res)) {
      res.destroy()
      return
    }
    for (const name of res.getHeaderNames()) {
      res.removeHeader(name)
    }
    const body = Buffer.from(this.#core.config.blockedBody, 'utf8')
    this.#call(this.#writeHead, 500, 'Internal Server Error', {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(body.length),
      'cache-control': 'no-store',
    })
    this.#call(this.#end, body, () => callbacks.forEach((cb) => cb()))
  }

  /** The guard failed: fail closed (a 500) or open (release unchecked) as configured. */
  #fail(err: unknown): void {
    const head = this.#head ?? {
      method: this.#req.method ?? 'GET',
      path: pathOf(this.#req.url),
      status: this.#res.statusCode,
    }
    let policy: 'fail-open' | 'fail-closed' =
      this.#core.config.mode === 'block' ? this.#core.config.onError : 'fail-open'
    try {
      policy = this.#core.failure(head, err)
    } catch {
      // Reporting failed too: the policy stands.
    }
    this.#windows = undefined
    this.#subject = undefined
    if (policy === 'fail-closed') {
      this.#block([], [], false)
    } else if (this.#phase === 'holding' || this.#phase === 'idle') {
      this.#release(undefined)
    }
  }
}
