// The seam between the endpoint and a concrete channel. The endpoint needs only this interface.
import type { Serialization } from '../protocol/error-codec.js'

export type { Serialization }

export interface PeerGoneInfo {
  reason: 'exit' | 'disconnect' | 'error' | 'close'
  exitCode?: number | null
  signal?: string | null
  error?: Error
}

export interface PeerInfo {
  kind: 'process' | 'thread' | 'port' | 'custom'
  pid?: number
  threadId?: number
}

export interface Transport {
  /**
   * Sends one message; throws synchronously when the value cannot be serialized. Returns false
   * under backpressure. When `done` is given and the result is false, `done` is called once the
   * channel can take more (with an error if it broke); nothing more should be sent before. Without
   * `done` (replies, cancels, pings: bounded by the caller's maxInFlight) no follow-up is needed.
   */
  send(message: unknown, done?: (err: Error | null) => void): boolean
  /** Adds the one 'message' listener of an endpoint; returns its remover. */
  onMessage(listener: (message: unknown) => void): () => void
  /** Fires once, on the first of disconnect/exit/error/close; returns its remover. */
  onClose(listener: (info: PeerGoneInfo) => void): () => void
  readonly peer: PeerInfo
  readonly serialization: Serialization
  /**
   * The underlying channel object (ChildProcess, process, Worker, MessagePort). Endpoints opened on
   * the same channel one after another continue one id sequence, so ids are never reused on it.
   */
  readonly channel?: object
}
