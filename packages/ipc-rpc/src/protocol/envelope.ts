// The wire format. Every rpc message is a plain object tagged with the namespace key and a version,
// so the application's own IPC traffic can share the channel and is never taken for a reply.
import type { EncodedError } from './error-codec.js'

export const ENVELOPE_TAG = '$ipcrpc'
export const ENVELOPE_VERSION = 1

export interface RequestMessage {
  $ipcrpc: 1
  k: 'req'
  id: number
  m: string
  a: unknown[]
}
export interface ResultMessage {
  $ipcrpc: 1
  k: 'res'
  id: number
  r: unknown
}
export interface ErrorMessage {
  $ipcrpc: 1
  k: 'err'
  id: number
  e: EncodedError
}
export interface CancelMessage {
  $ipcrpc: 1
  k: 'cancel'
  id: number
}
export interface PingMessage {
  $ipcrpc: 1
  k: 'ping'
  id: number
}
export interface PongMessage {
  $ipcrpc: 1
  k: 'pong'
  id: number
}

/** Flow-control filler: its send callback says the backlog before it has drained. Ignored on receipt. */
export interface NopMessage {
  $ipcrpc: 1
  k: 'nop'
  id: number
}

/**
 * Several messages written at once: what one side sent within a tick, in order. Its `id` is the
 * count, so every envelope keeps a positive integer id. Batches never nest.
 */
export interface BatchMessage {
  $ipcrpc: 1
  k: 'batch'
  id: number
  b: Envelope[]
}

export type Envelope =
  | BatchMessage
  | NopMessage
  | RequestMessage
  | ResultMessage
  | ErrorMessage
  | CancelMessage
  | PingMessage
  | PongMessage

export type EnvelopeKind = Envelope['k']

/** True when the message carries our tag at all (valid or not); anything else is foreign. */
export function isTagged(message: unknown): message is { $ipcrpc: unknown } {
  return typeof message === 'object' && message !== null && ENVELOPE_TAG in message
}

function isId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0
}

/** Full structural check of a tagged message; false means malformed. */
export function isEnvelope(message: unknown): message is Envelope {
  if (typeof message !== 'object' || message === null) {
    return false
  }
  const m = message as Record<string, unknown>
  if (m[ENVELOPE_TAG] !== ENVELOPE_VERSION || !isId(m.id)) {
    return false
  }
  switch (m.k) {
    case 'batch':
      return (
        Array.isArray(m.b) &&
        m.b.length === m.id &&
        m.b.every((inner: unknown) => isEnvelope(inner) && inner.k !== 'batch')
      )
    case 'req':
      return typeof m.m === 'string' && Array.isArray(m.a)
    case 'res':
      // json drops `r: undefined`, so a missing result is a valid undefined result
      return true
    case 'err':
      return typeof m.e === 'object' && m.e !== null
    case 'nop':
    case 'cancel':
    case 'ping':
    case 'pong':
      return true
    default:
      return false
  }
}

export function requestMessage(id: number, method: string, args: unknown[]): RequestMessage {
  return { $ipcrpc: 1, k: 'req', id, m: method, a: args }
}

export function resultMessage(id: number, result: unknown): ResultMessage {
  return { $ipcrpc: 1, k: 'res', id, r: result }
}

export function errorMessage(id: number, error: EncodedError): ErrorMessage {
  return { $ipcrpc: 1, k: 'err', id, e: error }
}

export function batchMessage(messages: Envelope[]): BatchMessage {
  return { $ipcrpc: 1, k: 'batch', id: messages.length, b: messages }
}

export const NOP_MESSAGE: NopMessage = { $ipcrpc: 1, k: 'nop', id: 1 }

export function controlMessage<K extends 'cancel' | 'ping' | 'pong'>(
  k: K,
  id: number
): { $ipcrpc: 1; k: K; id: number } {
  return { $ipcrpc: 1, k, id }
}
