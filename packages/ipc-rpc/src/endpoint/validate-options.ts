// Bad options fail loudly at construction with RPC_ERR_BAD_OPTION naming the option.
import { BadOptionError } from '../errors.js'
import type { ErrorClasses } from '../protocol/error-codec.js'
import { ENDPOINT_DEFAULTS, type Api, type CallOptions, type EndpointOptions } from './types.js'

export interface ResolvedEndpointOptions {
  handlers: EndpointOptions<Api>['handlers']
  timeoutMs: number
  maxInFlight: number
  maxQueue: number
  maxBatch: number
  errorClasses: ErrorClasses | undefined
  name: string
}

function checkInt(option: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new BadOptionError(option, `must be an integer >= ${min}, got ${String(value)}`)
  }
  return value
}

export function validateEndpointOptions(options: EndpointOptions<Api>): ResolvedEndpointOptions {
  if (typeof options !== 'object' || options === null) {
    throw new BadOptionError('options', 'must be an object')
  }
  const { handlers, errorClasses, name } = options
  if (handlers !== undefined && (typeof handlers !== 'object' || handlers === null)) {
    throw new BadOptionError('handlers', 'must be an object of functions')
  }
  if (handlers) {
    for (const [key, fn] of Object.entries(handlers)) {
      if (typeof fn !== 'function') {
        throw new BadOptionError(`handlers.${key}`, 'must be a function')
      }
    }
  }
  if (errorClasses !== undefined) {
    for (const [key, cls] of Object.entries(errorClasses)) {
      if (typeof cls !== 'function') {
        throw new BadOptionError(`errorClasses.${key}`, 'must be an Error class')
      }
    }
  }
  if (name !== undefined && typeof name !== 'string') {
    throw new BadOptionError('name', 'must be a string')
  }
  return {
    handlers,
    timeoutMs: checkInt('timeoutMs', options.timeoutMs ?? ENDPOINT_DEFAULTS.timeoutMs, 0),
    maxInFlight: checkInt('maxInFlight', options.maxInFlight ?? ENDPOINT_DEFAULTS.maxInFlight, 1),
    maxQueue: checkInt('maxQueue', options.maxQueue ?? ENDPOINT_DEFAULTS.maxQueue, 0),
    maxBatch: checkInt('maxBatch', options.maxBatch ?? ENDPOINT_DEFAULTS.maxBatch, 1),
    errorClasses,
    name: name ?? ENDPOINT_DEFAULTS.name,
  }
}

export function validateCallOptions(options: CallOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new BadOptionError('options', 'must be an object')
  }
  if (options.timeoutMs !== undefined) {
    checkInt('timeoutMs', options.timeoutMs, 0)
  }
  const signal = options.signal as unknown
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new BadOptionError('signal', 'must be an AbortSignal')
  }
}
