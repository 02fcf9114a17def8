// The endpoint: one pending-call map per channel, integer ids never reused, replies matched by id
// only. Whatever cannot be matched (unknown, late, duplicate, malformed) is dropped and counted.
import { AbortedError, QueueFullError, TimeoutError, UnserializableError } from '../errors.js'
import { callEndChannel, callErrorChannel, callStartChannel } from '../diagnostics.js'
import { decodeReply } from '../protocol/error-codec.js'
import { controlMessage, requestMessage } from '../protocol/envelope.js'
import { unwatchAbort, watchAbort } from './abort-watch.js'
import { firstIdAfter } from './channel-ids.js'
import { EndpointCore } from './endpoint-core.js'
import { OutgoingCall, QUEUED, SENT, SETTLED } from './outgoing-call.js'
import { OutgoingCallQueue } from './outgoing-call-queue.js'
import { Pings } from './pings.js'
import { RecentIds } from './recent-ids.js'
import { makeRemote } from './remote-proxy.js'
import type { Transport } from './transport.js'
import type {
  Api,
  CallOptions,
  Endpoint,
  EndpointOptions,
  EndpointStats,
  RemoteMethods,
} from './types.js'
import {
  badMethod,
  callOptionsError,
  validateEndpointOptions,
  validateTransport,
} from './validate-options.js'

export class RpcEndpoint<Remote extends Api> extends EndpointCore implements Endpoint<Remote> {
  readonly #pending = new Map<number, OutgoingCall>()
  readonly #queue = new OutgoingCallQueue()
  /** ids issued but never written (aborted while queued, unserializable, refused): unknown if answered */
  readonly #unsent = new RecentIds()
  readonly #pings: Pings
  #nextId = 0
  #lastSentId = 0
  #pumping = false
  #remote: RemoteMethods<Remote> | undefined = undefined
  #sent = 0
  #settled = 0
  #timeouts = 0
  #cancelled = 0

  constructor(transport: Transport, options: EndpointOptions<Api> = {}) {
    super(validateTransport(transport), validateEndpointOptions(options))
    this.#pings = new Pings(this)
    this.#nextId = firstIdAfter(transport.channel)
    this.#lastSentId = this.#nextId
  }

  protected override get lastIssuedId(): number {
    return this.#nextId
  }

  call<M extends keyof Remote & string>(
    method: M,
    ...args: Parameters<Remote[M]>
  ): Promise<Awaited<ReturnType<Remote[M]>>> {
    return this.start(method, args, this.defaultTimeoutMs, undefined) as Promise<
      Awaited<ReturnType<Remote[M]>>
    >
  }

  callWith<M extends keyof Remote & string>(
    options: CallOptions,
    method: M,
    ...args: Parameters<Remote[M]>
  ): Promise<Awaited<ReturnType<Remote[M]>>> {
    const bad = callOptionsError(options)
    if (bad !== undefined) {
      return Promise.reject(bad)
    }
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs
    return this.start(method, args, timeoutMs, options.signal) as Promise<
      Awaited<ReturnType<Remote[M]>>
    >
  }

  get remote(): RemoteMethods<Remote> {
    this.#remote ??= makeRemote((method, args) =>
      this.start(method, args, this.defaultTimeoutMs, undefined)
    )
    return this.#remote
  }

  get inFlight(): number {
    return this.#pending.size
  }

  stats(): EndpointStats {
    return {
      inFlight: this.#pending.size,
      queued: this.#queue.size,
      sent: this.#sent,
      settled: this.#settled,
      timeouts: this.#timeouts,
      cancelled: this.#cancelled,
      dropped: { ...this.dropped },
      foreign: this.foreign,
    }
  }

  ping(options: CallOptions = {}): Promise<number> {
    const bad = callOptionsError(options)
    if (bad !== undefined) {
      return Promise.reject(bad)
    }
    return this.#pings.ping(options.timeoutMs ?? this.defaultTimeoutMs, options.signal)
  }

  start(
    method: string,
    args: unknown[],
    timeoutMs: number,
    signal: AbortSignal | undefined
  ): Promise<unknown> {
    const bad = badMethod(method)
    if (bad !== undefined) {
      return Promise.reject(bad)
    }
    const id = ++this.#nextId
    if (this.closedError !== undefined) {
      return this.#rejectEarly(method, id, this.closedError(method, id))
    }
    if (signal?.aborted === true) {
      this.#unsent.add(id)
      return this.#rejectEarly(method, id, new AbortedError(method, id, signal.reason))
    }
    const call = new OutgoingCall(this, id, method, args, timeoutMs, signal)
    const promise = new Promise<unknown>((resolve, reject) => {
      call.resolve = resolve
      call.reject = reject
    })
    if (this.#queue.size >= this.maxQueue && (this.#queue.size > 0 || !this.#canSend())) {
      call.state = SETTLED
      this.#unsent.add(id)
      this.failCall(call, new QueueFullError(method, this.maxQueue))
      return promise
    }
    // Listen before dispatch: dispatch may settle the call synchronously, and settling unlistens.
    if (signal !== undefined) {
      watchAbort(signal, call)
    }
    if (this.#queue.size === 0 && this.#canSend()) {
      this.#dispatch(call)
    } else {
      this.#queue.push(call)
    }
    return promise
  }

  #canSend(): boolean {
    return !this.blocked && this.#pending.size < this.maxInFlight
  }

  #rejectEarly(method: string, callId: number, error: Error): Promise<never> {
    if (callErrorChannel.hasSubscribers) {
      callErrorChannel.publish({ endpoint: this.name, method, callId, error })
    }
    return Promise.reject(error)
  }

  #dispatch(call: OutgoingCall): void {
    const id = call.id
    call.state = SENT
    // In the map before it is written: a synchronous transport may deliver the reply inside send().
    this.#pending.set(id, call)
    this.#lastSentId = id
    this.#sent++
    if (callStartChannel.hasSubscribers) {
      callStartChannel.publish({
        endpoint: this.name,
        method: call.method,
        callId: id,
        args: call.args,
      })
    }
    const message = requestMessage(id, call.method, call.args)
    call.releaseArgs()
    if (call.timeoutMs > 0) {
      call.timer = setTimeout(this.#onTimeout, call.timeoutMs, call)
    }
    // A batch is written once it holds a quarter of the calls in flight: the peer starts on the
    // first ones while this side still makes the rest, instead of the two sides taking turns. A
    // lone call goes at once. Last in dispatch: a write can settle calls (unserializable ones).
    this.outbox.push(message, call, (this.#pending.size >> 2) + 1)
  }

  /** Its arguments could not be serialized: only this call fails; nothing of it was written. */
  unsendableCall(call: OutgoingCall, err: unknown): void {
    if (call.state !== SENT || this.#pending.get(call.id) !== call) {
      return
    }
    this.#take(call.id)
    this.#unsent.add(call.id)
    // Never written: counted neither as sent nor as settled, so sent - settled stays in flight.
    this.#sent--
    this.#settled--
    this.failCall(call, new UnserializableError(call.method, 'arguments', err, call.id))
  }

  protected override pump(): void {
    if (this.#pumping) {
      return
    }
    this.#pumping = true
    try {
      while (
        !this.blocked &&
        this.#pending.size < this.maxInFlight &&
        this.closedError === undefined
      ) {
        const call = this.#queue.shift()
        if (call === undefined) {
          break
        }
        this.#dispatch(call)
      }
    } finally {
      this.#pumping = false
    }
  }

  /** Takes a sent call out of the map; undefined when the id is not pending (then it is dropped). */
  #take(id: number): OutgoingCall | undefined {
    const call = this.#pending.get(id)
    if (call === undefined) {
      return undefined
    }
    this.#pending.delete(id)
    call.state = SETTLED
    if (call.timer !== undefined) {
      clearTimeout(call.timer)
      call.timer = undefined
    }
    this.#unlisten(call)
    this.#settled++
    if (this.#queue.size > 0) {
      this.pump()
    }
    return call
  }

  protected override onResult(id: number, result: unknown, message: unknown): void {
    const call = this.#take(id)
    if (call === undefined) {
      this.dropReply(id, message)
      return
    }
    call.resolve(result)
    if (callEndChannel.hasSubscribers) {
      callEndChannel.publish({ endpoint: this.name, method: call.method, callId: id, result })
    }
  }

  protected override onError(id: number, encoded: unknown, message: unknown): void {
    const call = this.#take(id)
    if (call === undefined) {
      this.dropReply(id, message)
      return
    }
    // Never throws, whatever the peer sent; our own error kinds take method and id from the call.
    this.failCall(
      call,
      decodeReply(encoded, this.errorClasses, { method: call.method, callId: call.id })
    )
  }

  protected override onPong(id: number): void {
    this.#pings.pong(id)
  }

  protected override classifyDrop(id: number): 'unknown' | 'late' | 'duplicate' {
    if (id > this.#lastSentId || this.#unsent.has(id)) {
      return 'unknown'
    }
    return this.lateIds.take(id) ? 'late' : 'duplicate'
  }

  readonly #onTimeout = (call: OutgoingCall): void => {
    call.timer = undefined
    if (call.state !== SENT) {
      return
    }
    this.#timeouts++
    this.#giveUp(call, new TimeoutError(call.method, call.id, call.timeoutMs))
  }

  abortCall(call: OutgoingCall): void {
    if (call.state === SETTLED) {
      return
    }
    this.#cancelled++
    const error = new AbortedError(call.method, call.id, call.signal?.reason)
    if (call.state === QUEUED) {
      // Never sent: just leave the queue.
      call.state = SETTLED
      this.#unsent.add(call.id)
      this.#queue.removed()
      this.#unlisten(call)
      this.failCall(call, error)
      return
    }
    this.#giveUp(call, error)
  }

  /** Timeout or abort of a sent call: reject now, tell the other side, expect a late reply. */
  #giveUp(call: OutgoingCall, error: Error): void {
    this.#take(call.id)
    this.lateIds.add(call.id)
    this.sendControl(controlMessage('cancel', call.id))
    this.failCall(call, error)
  }

  #unlisten(call: OutgoingCall): void {
    if (call.signal !== undefined) {
      unwatchAbort(call.signal, call)
    }
  }

  protected override rejectAll(
    makeError: (method: string, callId: number) => Error,
    cancelSent: boolean
  ): number {
    if (cancelSent) {
      // Closing locally: the peer is still there, so let its handlers stop (their signals fire).
      for (const id of this.#pending.keys()) {
        this.outbox.push(controlMessage('cancel', id), undefined)
      }
    }
    const calls = [...this.#pending.values(), ...this.#queue.drain()]
    this.#pending.clear()
    for (const call of calls) {
      call.state = SETTLED
      if (call.timer !== undefined) {
        clearTimeout(call.timer)
        call.timer = undefined
      }
      this.#unlisten(call)
      this.failCall(call, makeError(call.method, call.id))
    }
    this.#pings.rejectAll(makeError('$ping', 0))
    return calls.length
  }
}

/** Creates a typed endpoint on a transport. `Remote` is what the other side exposes. */
export function createEndpoint<Remote extends Api, Local extends Api = Record<never, never>>(
  transport: Transport,
  options?: EndpointOptions<Local>
): Endpoint<Remote> {
  return new RpcEndpoint<Remote>(transport, options)
}
