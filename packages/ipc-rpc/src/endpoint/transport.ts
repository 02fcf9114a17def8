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
   * Sends one message. Throws synchronously when the value cannot be serialized. Returns false
   * under backpressure: send nothing more until `done` has been called for this message.
   * `done` is called exactly once per message that did not throw (sync or async).
   */
  send(message: unknown, done: (err: Error | null) => void): boolean
  /** Adds the one 'message' listener of an endpoint; returns its remover. */
  onMessage(listener: (message: unknown) => void): () => void
  /** Fires once, on the first of disconnect/exit/error/close; returns its remover. */
  onClose(listener: (info: PeerGoneInfo) => void): () => void
  readonly peer: PeerInfo
  readonly serialization: Serialization
}
