// Channel plumbing shared by the calling and serving halves: the one message listener, envelope
// routing, backpressure accounting, drop counters, close and peer-gone handling.
import {
  callErrorChannel,
  peerGoneChannel,
  replyDroppedChannel,
  type DropReason,
} from '../diagnostics.js'
import { ClosedError, PeerGoneError } from '../errors.js'
import type { ErrorClasses } from '../protocol/error-codec.js'
import { ENVELOPE_TAG, controlMessage, type Envelope } from '../protocol/envelope.js'
import { rememberLastId } from './channel-ids.js'
import { IncomingCalls } from './incoming-calls.js'
import { Outbox } from './outbox.js'
import type { OutgoingCall } from './outgoing-call.js'
import { RecentIds } from './recent-ids.js'
import type { PeerGoneInfo, Transport } from './transport.js'
import type { ResolvedEndpointOptions } from './validate-options.js'

type Message = Record<string, unknown>

function isId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0
}

export abstract class EndpointCore {
  readonly transport: Transport
  readonly name: string
  readonly defaultTimeoutMs: number
  readonly maxInFlight: number
  readonly maxQueue: number
  readonly errorClasses: ErrorClasses | undefined
  readonly dropped = { unknown: 0, late: 0, duplicate: 0, malformed: 0 }
  /** given-up ids (timeout, abort): the first reply for one is late, not a duplicate */
  readonly lateIds = new RecentIds()
  foreign = 0
  /** set once closed or peer gone: builds the error for calls made afterwards */
  closedError: ((method: string, callId: number) => Error) | undefined = undefined
  /** send() returned false and its done() has not run yet: calls wait in the queue */
  blocked = false
  /** every message this side sends goes through it, so one tick's messages share one write */
  readonly outbox: Outbox
  readonly #incoming: IncomingCalls
  #offMessage: (() => void) | undefined
  #offClose: (() => void) | undefined

  constructor(transport: Transport, options: ResolvedEndpointOptions) {
    this.transport = transport
    this.name = options.name
    this.defaultTimeoutMs = options.timeoutMs
    this.maxInFlight = options.maxInFlight
    this.maxQueue = options.maxQueue
    this.errorClasses = options.errorClasses
    this.outbox = new Outbox(transport, this, options.maxBatch)
    this.#incoming = new IncomingCalls(options.handlers, this.outbox, transport.serialization)
    this.#offMessage = transport.onMessage(this.#onMessage)
    this.#offClose = transport.onClose(this.#onPeerGone)
  }

  get closed(): boolean {
    return this.closedError !== undefined
  }

  protected abstract pump(): void
  protected abstract onResult(id: number, result: unknown, message: unknown): void
  protected abstract onError(id: number, encoded: unknown, message: unknown): void
  protected abstract onPong(id: number): void
  protected abstract classifyDrop(id: number): 'unknown' | 'late' | 'duplicate'
  protected abstract get lastIssuedId(): number
  protected abstract rejectAll(
    makeError: (method: string, callId: number) => Error,
    cancelSent: boolean
  ): number

  readonly onSent = (_err: Error | null): void => {
    // A failed send means the channel is closing; the transport's close event rejects the calls.
    if (this.blocked) {
      this.blocked = false
      this.pump()
    }
  }

  /** Cancel, ping and pong: small, sent even under backpressure, never fail a call. */
  sendControl(message: Envelope): void {
    if (this.closedError === undefined) {
      this.outbox.push(message, undefined)
    }
  }

  failCall(call: OutgoingCall, error: Error): void {
    if (callErrorChannel.hasSubscribers) {
      callErrorChannel.publish({ endpoint: this.name, method: call.method, callId: call.id, error })
    }
    call.reject(error)
  }

  readonly #onMessage = (message: unknown): void => {
    if (typeof message !== 'object' || message === null || !(ENVELOPE_TAG in message)) {
      this.foreign++
      return
    }
    const m = message as Message
    if (m.k !== 'batch') {
      this.#route(m)
      return
    }
    const batch = m.b
    if (m.$ipcrpc !== 1 || !Array.isArray(batch)) {
      this.#drop('malformed', undefined, message)
      return
    }
    for (const inner of batch as unknown[]) {
      // Inside a batch everything must be ours; a nested batch is malformed, never unpacked.
      if (typeof inner === 'object' && inner !== null && (inner as Message).k !== 'batch') {
        this.#route(inner as Message)
      } else {
        this.#drop('malformed', undefined, inner)
      }
      if (this.closedError !== undefined) {
        return
      }
    }
  }

  #route(m: Message): void {
    const id = m.id
    if (m.$ipcrpc !== 1 || !isId(id)) {
      this.#drop('malformed', isId(id) ? id : undefined, m)
      return
    }
    switch (m.k) {
      case 'res':
        this.onResult(id, m.r, m)
        return
      case 'err':
        // Any object is decoded (defensively): a reply for a pending call must not leave it hanging.
        if (typeof m.e === 'object' && m.e !== null) {
          this.onError(id, m.e, m)
        } else {
          this.#drop('malformed', id, m)
        }
        return
      case 'req':
        if (typeof m.m === 'string' && Array.isArray(m.a)) {
          this.#incoming.handle(id, m.m, m.a as unknown[])
        } else {
          this.#drop('malformed', id, m)
        }
        return
      case 'cancel':
        this.#incoming.cancel(id, new Error(`call #${id} was cancelled by the caller`))
        return
      case 'ping':
        this.sendControl(controlMessage('pong', id))
        return
      case 'pong':
        this.onPong(id)
        return
      case 'nop':
        return
      default:
        this.#drop('malformed', id, m)
    }
  }

  dropReply(id: number, message: unknown): void {
    this.#drop(this.classifyDrop(id), id, message)
  }

  #drop(reason: DropReason, callId: number | undefined, message: unknown): void {
    this.dropped[reason]++
    if (replyDroppedChannel.hasSubscribers) {
      replyDroppedChannel.publish({ endpoint: this.name, reason, callId, message })
    }
  }

  readonly #onPeerGone = (info: PeerGoneInfo): void => {
    if (this.closedError !== undefined) {
      return
    }
    const { pid, threadId } = this.transport.peer
    const base = {
      reason: info.reason,
      pid,
      threadId,
      exitCode: info.exitCode,
      signal: info.signal,
      error: info.error,
    }
    const make = (method: string, callId: number): Error =>
      new PeerGoneError({ ...base, method, callId })
    this.closedError = make
    this.outbox.clear()
    const gone = new PeerGoneError(base)
    this.#incoming.closeAll(gone)
    const rejected = this.rejectAll(make, false)
    this.#release()
    if (peerGoneChannel.hasSubscribers) {
      peerGoneChannel.publish({ endpoint: this.name, error: gone, rejected })
    }
  }

  close(reason?: Error): void {
    if (this.closedError !== undefined) {
      return
    }
    const make = (method: string, callId: number): Error => new ClosedError(method, callId, reason)
    this.closedError = make
    this.#incoming.closeAll(new ClosedError(undefined, undefined, reason))
    this.rejectAll(make, true)
    // What this side sent before closing still goes out, followed by the cancels for it.
    this.outbox.flush()
    this.#release()
  }

  #release(): void {
    rememberLastId(this.transport.channel, this.lastIssuedId)
    this.#offMessage?.()
    this.#offClose?.()
    this.#offMessage = undefined
    this.#offClose = undefined
    this.lateIds.clear()
  }
}
