// A Fastify stream payload under guard: the route's stream is piped through this Transform, which
// holds every chunk (block mode) until the stream ends or maxBufferBytes is passed, and then either
// lets it all through or fails with GuardBlockedError before a byte is pushed. Fastify answers a
// payload stream that errors before the head is sent with the app's error handler: the 500.
import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { GuardBlockedError } from '../errors.js'
import type { GuardCore, ResponseHead, Subject } from '../guard-core.js'
import type { BodyScan } from '../detection/body-scanner.js'
import { BodyWindows } from '../http/body-windows.js'
import type { LeakReason } from '../report/diagnostics.js'

export interface GuardStreamHooks {
  /** Called just before the stream fails: drop the headers the route set (Set-Cookie...). */
  beforeBlock(): void
  /** Leaks found in the head already (report mode): reported with the body's at the end. */
  headReasons: readonly LeakReason[]
}

export class GuardStream extends Transform {
  readonly #core: GuardCore
  readonly #subject: Subject
  readonly #head: ResponseHead
  readonly #hooks: GuardStreamHooks
  #windows: BodyWindows | undefined
  /** Block mode, before the decision: chunks held back. */
  #held: Buffer[] | undefined
  #heldBytes = 0

  constructor(core: GuardCore, subject: Subject, head: ResponseHead, hooks: GuardStreamHooks) {
    super()
    this.#core = core
    this.#subject = subject
    this.#head = head
    this.#hooks = hooks
    this.#windows = new BodyWindows(core.config.maxBufferBytes, (w) =>
      core.scanWindow(subject, head, w)
    )
    this.#held = core.config.mode === 'block' ? [] : undefined
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const bytes = Buffer.isBuffer(chunk)
        ? chunk
        : typeof chunk === 'string'
          ? Buffer.from(chunk, encoding)
          : Buffer.from(chunk as Uint8Array)
      if (this.#held === undefined) {
        this.#watch(bytes)
        callback(null, bytes)
        return
      }
      this.#held.push(bytes)
      this.#heldBytes += bytes.length
      if (this.#heldBytes > this.#core.config.maxBufferBytes) {
        this.#overflow(callback)
        return
      }
      callback()
    } catch (err) {
      this.#fail(err, callback)
    }
  }

  override _flush(callback: TransformCallback): void {
    const held = this.#held
    const windows = this.#windows
    try {
      if (held !== undefined) {
        // Block mode, all of it held: scanned once and whole, as a buffered body is (so the
        // owner's next body of the page is rescanned only where it changed), and sent as one.
        const body = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held, this.#heldBytes)
        const scan = this.#core.scanBody(this.#subject, this.#head, body)
        if (scan instanceof Promise) {
          scan.then(
            (s) => this.#conclude(body, s, callback),
            (err: unknown) => this.#fail(err, callback)
          )
        } else {
          this.#conclude(body, scan, callback)
        }
        return
      }
      if (windows === undefined) {
        callback()
        return
      }
      windows.finish()
      const verdict = this.#core.verdict(this.#subject, this.#head, windows)
      const reasons = [...this.#hooks.headReasons, ...verdict.reasons]
      if (reasons.length > 0) {
        const action = this.#core.config.mode === 'block' ? 'passed' : 'reported'
        this.#core.leak(this.#subject, this.#head, reasons, verdict.foreign, action)
      }
      callback()
    } catch (err) {
      this.#fail(err, callback)
    }
  }

  /** Block mode, the whole body scanned: send it, or fail the stream with the block. */
  #conclude(body: Buffer, scan: BodyScan, callback: TransformCallback): void {
    try {
      const verdict = this.#core.verdict(this.#subject, this.#head, scan)
      const reasons = [...this.#hooks.headReasons, ...verdict.reasons]
      if (reasons.length > 0) {
        this.#block(reasons, verdict.foreign, callback)
        return
      }
      this.#release(body.length === 0 ? [] : [body])
      callback()
    } catch (err) {
      this.#fail(err, callback)
    }
  }

  #release(held: Buffer[] | undefined): void {
    this.#held = undefined
    for (const c of held ?? []) {
      this.push(c)
    }
  }

  /** Streaming through: scanned after the fact; a failure stops the scanning, never the bytes. */
  #watch(bytes: Buffer): void {
    if (this.#windows === undefined) {
      return
    }
    try {
      this.#windows.add(bytes)
    } catch (err) {
      this.#windows = undefined
      this.#core.failure(this.#head, err)
    }
  }

  #overflow(callback: TransformCallback): void {
    const held = this.#held as Buffer[]
    if (this.#core.unchecked(this.#subject, this.#head, 'overflow') === 'fail-closed') {
      this.#held = undefined
      this.#hooks.beforeBlock()
      callback(new GuardBlockedError(['unchecked-overflow']))
      return
    }
    // Fail open: scan what is held (a leak in it is still stopped), then stream the rest.
    const windows = this.#windows as BodyWindows
    held.forEach((c) => windows.add(c))
    windows.scanNow()
    if (windows.foreign.length > 0) {
      this.#block(['foreign-identity'], windows.foreign, callback)
      return
    }
    this.#release(held)
    callback()
  }

  #block(
    reasons: readonly LeakReason[],
    foreign: Parameters<GuardCore['leak']>[3],
    callback: TransformCallback
  ): void {
    this.#held = undefined
    this.#core.leak(this.#subject, this.#head, reasons, foreign, 'blocked')
    this.#hooks.beforeBlock()
    callback(new GuardBlockedError(reasons))
  }

  /** Block mode only (a pass-through failure is #watch's): fail closed or open as configured. */
  #fail(err: unknown, callback: TransformCallback): void {
    const held = this.#held
    this.#windows = undefined
    if (this.#core.failure(this.#head, err) === 'fail-closed' && held !== undefined) {
      this.#held = undefined
      this.#hooks.beforeBlock()
      callback(new GuardBlockedError(['guard-error']))
      return
    }
    this.#release(held)
    callback()
  }
}
