// Errors do not survive IPC: json drops message and stack, structured clone drops name, code and
// custom props. So errors are encoded explicitly into a plain object both serializers carry.
import {
  MethodNotFoundError,
  RemoteError,
  RpcError,
  UnserializableError,
  type RpcErrorCode,
} from '../errors.js'

export type Serialization = 'json' | 'advanced'

/** A value next to an error: either an encoded Error (`e`) or a plain value (`v`). */
export type EncodedValue = { e: EncodedError } | { v: unknown }

export interface EncodedError {
  name: string
  message: string
  stack?: string
  code?: unknown
  props?: Record<string, EncodedValue>
  cause?: EncodedValue
  errors?: EncodedValue[]
  /** set when the thrown value was not an Error; `value` holds it */
  nonError?: true
  value?: unknown
  /** set when this package produced the error (not a handler), so it decodes to our class */
  lib?: 1
}

export type ErrorClasses = Record<string, new (message: string) => Error>

const MAX_DEPTH = 8
// Keys that are part of the encoding itself and so not copied as "props".
const SKIP_PROPS = new Set(['name', 'message', 'stack', 'code', 'cause', 'errors'])
const DECODED_FIELDS = new Set([...SKIP_PROPS, 'remoteName', 'remoteCode', 'remoteStack', 'thrown'])

/** Makes a value carriable by the channel's serializer; what cannot be carried becomes a string. */
function safeValue(value: unknown, serialization: Serialization): unknown {
  if (value === null || value === undefined) {
    return value
  }
  const t = typeof value
  if (t === 'string' || t === 'number' || t === 'boolean') {
    return value
  }
  try {
    if (serialization === 'json') {
      const text = JSON.stringify(value)
      return text === undefined ? undefined : (JSON.parse(text) as unknown)
    }
    return structuredClone(value)
  } catch {
    return fallbackString(value)
  }
}

function fallbackString(value: unknown): string {
  if (typeof value === 'bigint' || typeof value === 'symbol') {
    return value.toString()
  }
  if (typeof value === 'function') {
    return `[function ${value.name || 'anonymous'}]`
  }
  return Object.prototype.toString.call(value)
}

function encodeValue(
  value: unknown,
  serialization: Serialization,
  depth: number,
  seen: Set<unknown>
): EncodedValue {
  if (value instanceof Error && depth < MAX_DEPTH && !seen.has(value)) {
    return { e: encodeInner(value, serialization, depth + 1, seen) }
  }
  return { v: safeValue(value instanceof Error ? String(value) : value, serialization) }
}

function encodeInner(
  error: Error,
  serialization: Serialization,
  depth: number,
  seen: Set<unknown>
): EncodedError {
  seen.add(error)
  const enc: EncodedError = {
    name: typeof error.name === 'string' ? error.name : 'Error',
    message: typeof error.message === 'string' ? error.message : String(error.message),
  }
  if (typeof error.stack === 'string') {
    enc.stack = error.stack
  }
  const rec = error as unknown as Record<string, unknown>
  if (rec.code !== undefined) {
    enc.code = safeValue(rec.code, serialization)
  }
  if ('cause' in error) {
    enc.cause = encodeValue(error.cause, serialization, depth, seen)
  }
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    enc.errors = (error.errors as unknown[]).map((e) => encodeValue(e, serialization, depth, seen))
  }
  for (const key of Object.keys(error)) {
    if (SKIP_PROPS.has(key)) {
      continue
    }
    enc.props ??= {}
    enc.props[key] = encodeValue(rec[key], serialization, depth, seen)
  }
  return enc
}

/** Encodes anything a handler threw, Error or not, into a plain object for the wire. */
export function encodeError(thrown: unknown, serialization: Serialization): EncodedError {
  if (thrown instanceof Error) {
    const enc = encodeInner(thrown, serialization, 0, new Set())
    if (thrown instanceof RpcError && isLibraryError(thrown)) {
      enc.lib = 1
    }
    return enc
  }
  return {
    name: 'NonError',
    message: `a non-Error value was thrown: ${describe(thrown)}`,
    nonError: true,
    value: safeValue(thrown, serialization),
  }
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value)
  } catch {
    return typeof value
  }
}

// Only errors raised by the endpoint itself travel as library errors; a handler that rethrows
// e.g. a TimeoutError from its own nested call still arrives as a RemoteError.
const LIBRARY_ERRORS = new WeakSet<Error>()
export function markLibraryError<E extends Error>(error: E): E {
  LIBRARY_ERRORS.add(error)
  return error
}
function isLibraryError(error: Error): boolean {
  return LIBRARY_ERRORS.has(error)
}

function decodeValue(value: EncodedValue, classes: ErrorClasses | undefined): unknown {
  return 'e' in value ? decodeError(value.e, classes) : value.v
}

function libraryError(enc: EncodedError): RpcError {
  const code = String(enc.code) as RpcErrorCode
  const method =
    typeof enc.props?.method === 'object' ? decodeValue(enc.props.method, undefined) : ''
  if (code === 'RPC_ERR_METHOD_NOT_FOUND') {
    return new MethodNotFoundError(String(method))
  }
  if (code === 'RPC_ERR_UNSERIALIZABLE') {
    return new UnserializableError(String(method), 'reply')
  }
  return new RpcError(code, enc.message)
}

/** Turns an encoded error back into a real Error: a registered class, our own class, or RemoteError. */
export function decodeError(enc: EncodedError, classes?: ErrorClasses): Error {
  if (enc.nonError) {
    return new RemoteError(enc.message, { name: enc.name, thrown: enc.value })
  }
  const cause = enc.cause === undefined ? undefined : decodeValue(enc.cause, classes)
  const errors = enc.errors?.map((e) => decodeValue(e, classes))
  const Registered = classes?.[enc.name]
  let error: Error
  if (enc.lib === 1 && typeof enc.code === 'string' && enc.code.startsWith('RPC_ERR_')) {
    error = libraryError(enc)
  } else if (Registered) {
    error = new Registered(enc.message)
    const rec = error as unknown as Record<string, unknown>
    if (enc.code !== undefined) {
      rec.code = enc.code
    }
    if (errors) {
      rec.errors = errors
    }
  } else {
    error = new RemoteError(enc.message, {
      name: enc.name,
      code: enc.code,
      stack: enc.stack,
      errors,
    })
  }
  if (enc.cause !== undefined) {
    Object.defineProperty(error, 'cause', {
      value: cause,
      writable: true,
      configurable: true,
      enumerable: false,
    })
  }
  if (!(error instanceof RemoteError) && enc.stack !== undefined) {
    error.stack = enc.stack
  }
  if (enc.props) {
    const rec = error as unknown as Record<string, unknown>
    for (const [key, value] of Object.entries(enc.props)) {
      // Remote props win over constructor defaults, but never over the decoded error's own fields.
      if (!DECODED_FIELDS.has(key)) {
        rec[key] = decodeValue(value, classes)
      }
    }
  }
  return error
}
