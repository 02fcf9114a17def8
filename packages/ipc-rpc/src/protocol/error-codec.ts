// Errors do not survive IPC: json drops message and stack, structured clone drops name, code and
// custom props. So errors are encoded explicitly into a plain object both serializers carry.
import { MethodNotFoundError, RemoteError, RpcError, UnserializableError } from '../errors.js'

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
// The only errors a peer's endpoint itself sends (encodeError marks them); anything else claiming
// to be ours is the peer's own error and arrives as a RemoteError.
const PEER_LIBRARY_CODES = new Set(['RPC_ERR_METHOD_NOT_FOUND', 'RPC_ERR_UNSERIALIZABLE'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** Makes a value carriable by the channel's serializer; what cannot be carried becomes a string. */
function safeValue(value: unknown, serialization: Serialization): unknown {
  if (value === null || value === undefined) {
    return value
  }
  const t = typeof value
  if (t === 'string' || t === 'number' || t === 'boolean') {
    return value
  }
  if (t === 'function' || t === 'symbol') {
    return fallbackString(value)
  }
  try {
    if (serialization === 'json') {
      const text = JSON.stringify(value)
      return text === undefined ? fallbackString(value) : (JSON.parse(text) as unknown)
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

/** A string for any value, without calling anything the value itself provides. */
function text(value: unknown): string {
  if (typeof value === 'string') {
    return value
  }
  return isRecord(value) || typeof value === 'function' ? fallbackString(value) : String(value)
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
    message: text(error.message),
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
    if (SKIP_PROPS.has(key) || key === '__proto__') {
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
    return typeof value === 'string' ? JSON.stringify(value) : text(value)
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

/** What the decoding side knows for sure about the call; it wins over what the peer says. */
export interface ReplyContext {
  method: string
  callId: number
}

// Everything below reads peer data: every field is checked before use, own properties only, and
// nothing the peer sends can set a prototype, shadow an inherited member or pick a class that
// was not registered under its own name.

function decodeValue(value: unknown, classes: ErrorClasses | undefined, depth: number): unknown {
  if (!isRecord(value)) {
    return undefined
  }
  if (Object.hasOwn(value, 'e')) {
    return isRecord(value.e) && depth < MAX_DEPTH
      ? decodeAt(value.e, classes, depth + 1)
      : undefined
  }
  return value.v
}

function libraryError(
  enc: Record<string, unknown>,
  code: string,
  context?: ReplyContext
): RpcError {
  const props = isRecord(enc.props) ? enc.props : {}
  const method = context?.method ?? text(decodeValue(props.method, undefined, MAX_DEPTH))
  if (code === 'RPC_ERR_METHOD_NOT_FOUND') {
    return new MethodNotFoundError(method, context?.callId)
  }
  return new UnserializableError(method, 'reply', undefined, context?.callId)
}

function isAggregateClass(cls: ErrorClasses[string]): boolean {
  return cls === AggregateError || cls.prototype instanceof AggregateError
}

/** An instance of the registered class, or undefined when it throws or builds no Error. */
function construct(
  Registered: ErrorClasses[string],
  message: string,
  errors: unknown[] | undefined
): Error | undefined {
  try {
    // AggregateError takes (errors, message): given only a message it would spread its letters.
    const error = isAggregateClass(Registered)
      ? new (Registered as unknown as AggregateErrorConstructor)(errors ?? [], message)
      : new Registered(message)
    return error instanceof Error ? error : undefined
  } catch {
    return undefined
  }
}

/** A data property, never a setter call: "__proto__" or an accessor cannot be triggered. */
function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  try {
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable })
  } catch {
    // a non-configurable own property of the registered class keeps its value
  }
}

function decodeAt(
  enc: Record<string, unknown>,
  classes: ErrorClasses | undefined,
  depth: number
): Error {
  const name = typeof enc.name === 'string' ? enc.name : 'Error'
  const message = text(enc.message ?? '')
  if (enc.nonError === true) {
    return new RemoteError(message, { name, thrown: enc.value })
  }
  const stack = typeof enc.stack === 'string' ? enc.stack : undefined
  const errors = Array.isArray(enc.errors)
    ? (enc.errors as unknown[]).map((e) => decodeValue(e, classes, depth))
    : undefined
  const Registered =
    classes !== undefined && Object.hasOwn(classes, name) && typeof classes[name] === 'function'
      ? classes[name]
      : undefined
  let error: Error | undefined
  if (enc.lib === 1 && typeof enc.code === 'string' && PEER_LIBRARY_CODES.has(enc.code)) {
    error = libraryError(enc, enc.code)
  } else if (Registered !== undefined) {
    error = construct(Registered, message, errors)
    if (error !== undefined) {
      if (error.message !== message) {
        define(error, 'message', message, false)
      }
      if (enc.code !== undefined) {
        define(error, 'code', enc.code, true)
      }
      if (errors !== undefined && !isAggregateClass(Registered)) {
        define(error, 'errors', errors, false)
      }
      if (stack !== undefined) {
        define(error, 'stack', stack, false)
      }
    }
  }
  error ??= new RemoteError(message, { name, code: enc.code, stack, errors })
  if (enc.cause !== undefined) {
    define(error, 'cause', decodeValue(enc.cause, classes, depth), false)
  }
  if (isRecord(enc.props) && !Array.isArray(enc.props)) {
    for (const key of Object.keys(enc.props)) {
      // Remote props win over constructor defaults, but never over the decoded error's own fields
      // nor over anything inherited (constructor, toString, methods, accessors).
      if (DECODED_FIELDS.has(key) || key === '__proto__') {
        continue
      }
      if (key in error && !Object.hasOwn(error, key)) {
        continue
      }
      define(error, key, decodeValue(enc.props[key], classes, depth), true)
    }
  }
  return error
}

/** Turns an encoded error back into a real Error: a registered class, our own class, or RemoteError. */
export function decodeError(enc: EncodedError, classes?: ErrorClasses): Error {
  return decodeReply(enc, classes)
}

/**
 * decodeError for a reply to one of our calls: total (never throws, whatever the peer sent), and
 * the library errors take their method and call id from `context`, not from the peer.
 */
export function decodeReply(enc: unknown, classes?: ErrorClasses, context?: ReplyContext): Error {
  if (!isRecord(enc)) {
    return new RemoteError('the remote error could not be decoded', { name: 'Error' })
  }
  try {
    if (
      context !== undefined &&
      enc.lib === 1 &&
      typeof enc.code === 'string' &&
      PEER_LIBRARY_CODES.has(enc.code)
    ) {
      return libraryError(enc, enc.code, context)
    }
    return decodeAt(enc, classes, 0)
  } catch (err) {
    const why = err instanceof Error ? err.message : text(err)
    return new RemoteError(`the remote error could not be decoded: ${why}`, { name: 'Error' })
  }
}
