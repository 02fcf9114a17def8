// Bad options fail loudly with RPC_ERR_BAD_OPTION naming the option: at construction for
// createEndpoint/createPool, as a rejection for calls. The checkers are shared with the pool.
import { BadOptionError } from '../errors.js'
import type { ErrorClasses } from '../protocol/error-codec.js'
import type { Transport } from './transport.js'
import { ENDPOINT_DEFAULTS, type Api, type CallOptions, type EndpointOptions } from './types.js'

/** setTimeout's ceiling (about 24.8 days): a longer delay fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1

export interface ResolvedEndpointOptions {
  handlers: EndpointOptions<Api>['handlers']
  timeoutMs: number
  maxInFlight: number
  maxQueue: number
  maxBatch: number
  errorClasses: ErrorClasses | undefined
  name: string
}

/** A short, safe description of any value for an error message (symbols, objects, functions). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value)
  }
  if (typeof value === 'symbol' || typeof value === 'bigint') {
    return value.toString()
  }
  if (typeof value === 'function') {
    return 'a function'
  }
  if (Array.isArray(value)) {
    return 'an array'
  }
  return typeof value === 'object' && value !== null ? 'an object' : String(value)
}

export function checkInt(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new BadOptionError(option, `must be an integer >= ${min}, got ${describeValue(value)}`)
  }
  return value
}

/** A delay or deadline in ms: an integer from min up to Node's timer limit. */
export function checkMs(option: string, value: unknown, min: number): number {
  checkInt(option, value, min)
  if ((value as number) > MAX_TIMER_MS) {
    throw new BadOptionError(
      option,
      `must be at most ${MAX_TIMER_MS} ms (Node's timer limit, about 24.8 days), got ${String(value)}`
    )
  }
  return value as number
}

export function checkObject(option: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadOptionError(option, `must be an object, got ${describeValue(value)}`)
  }
  return value as Record<string, unknown>
}

/** An optional object whose every value must be a function (handlers, errorClasses). */
function checkFunctions(option: string, value: unknown, what: string): void {
  if (value === undefined) {
    return
  }
  for (const [key, fn] of Object.entries(checkObject(option, value))) {
    if (typeof fn !== 'function') {
      throw new BadOptionError(`${option}.${key}`, `must be ${what}`)
    }
  }
}

export function checkHandlers(handlers: unknown): void {
  checkFunctions('handlers', handlers, 'a function')
}

export function checkErrorClasses(errorClasses: unknown): void {
  checkFunctions('errorClasses', errorClasses, 'an Error class')
}

export function validateEndpointOptions(options: EndpointOptions<Api>): ResolvedEndpointOptions {
  checkObject('options', options)
  const { handlers, errorClasses, name } = options
  checkHandlers(handlers)
  checkErrorClasses(errorClasses)
  if (name !== undefined && typeof name !== 'string') {
    throw new BadOptionError('name', 'must be a string')
  }
  return {
    handlers,
    timeoutMs: checkMs('timeoutMs', options.timeoutMs ?? ENDPOINT_DEFAULTS.timeoutMs, 0),
    maxInFlight: checkInt('maxInFlight', options.maxInFlight ?? ENDPOINT_DEFAULTS.maxInFlight, 1),
    maxQueue: checkInt('maxQueue', options.maxQueue ?? ENDPOINT_DEFAULTS.maxQueue, 0),
    maxBatch: checkInt('maxBatch', options.maxBatch ?? ENDPOINT_DEFAULTS.maxBatch, 1),
    errorClasses,
    name: name ?? ENDPOINT_DEFAULTS.name,
  }
}

export function validateCallOptions(options: CallOptions): void {
  checkObject('options', options)
  if (options.timeoutMs !== undefined) {
    checkMs('timeoutMs', options.timeoutMs, 0)
  }
  const signal = options.signal as unknown
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new BadOptionError('signal', 'must be an AbortSignal')
  }
}

/** validateCallOptions for promise-returning functions: the error to reject with, if any. */
export function callOptionsError(options: CallOptions): Error | undefined {
  try {
    validateCallOptions(options)
    return undefined
  } catch (err) {
    return err as Error
  }
}

/** A method name must be a string: any other value would be sent and never answered. */
export function badMethod(method: unknown): BadOptionError | undefined {
  return typeof method === 'string'
    ? undefined
    : new BadOptionError('method', `must be a string, got ${describeValue(method)}`)
}

export function validateTransport(transport: unknown): Transport {
  const t = transport as Partial<Transport> | null | undefined
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t.send !== 'function' ||
    typeof t.onMessage !== 'function' ||
    typeof t.onClose !== 'function'
  ) {
    // The likeliest mistake: passing the ChildProcess (or Worker, or port) itself.
    const hint =
      typeof t === 'object' && t !== null && ('pid' in t || 'threadId' in t || 'postMessage' in t)
        ? ': wrap the channel, e.g. childProcessTransport(child) or workerTransport(worker)'
        : ''
    throw new BadOptionError(
      'transport',
      `must be a Transport with send(), onMessage() and onClose(), got ${describeValue(transport)}${hint}`
    )
  }
  return t as Transport
}
