import { expect, test } from 'vitest'
import { validateCallOptions, validateEndpointOptions } from './validate-options.js'
import { ENDPOINT_DEFAULTS } from './types.js'

const badOption = (option: string): unknown =>
  expect.objectContaining({ code: 'RPC_ERR_BAD_OPTION', option })

test('defaults fill in what is not given', () => {
  expect(validateEndpointOptions({})).toMatchObject({
    timeoutMs: ENDPOINT_DEFAULTS.timeoutMs,
    maxInFlight: ENDPOINT_DEFAULTS.maxInFlight,
    maxQueue: ENDPOINT_DEFAULTS.maxQueue,
    maxBatch: 32,
    name: 'ipc-rpc',
  })
  expect(validateEndpointOptions({ maxBatch: 1 }).maxBatch).toBe(1)
})

test.each([
  ['timeoutMs', { timeoutMs: -1 }],
  ['maxInFlight', { maxInFlight: 0 }],
  ['maxQueue', { maxQueue: 1.5 }],
  ['maxBatch', { maxBatch: 0 }],
  ['maxBatch', { maxBatch: '8' as unknown as number }],
  ['handlers.render', { handlers: { render: 'no' as unknown as () => void } }],
  ['name', { name: 7 as unknown as string }],
])('a bad %s is refused with RPC_ERR_BAD_OPTION naming it', (option, options) => {
  expect(() => validateEndpointOptions(options)).toThrow(badOption(option))
})

test('call options are checked too', () => {
  expect(() => validateCallOptions({ timeoutMs: -5 })).toThrow(badOption('timeoutMs'))
  expect(() => validateCallOptions({ signal: {} as AbortSignal })).toThrow(badOption('signal'))
  expect(() => validateCallOptions({ timeoutMs: 10, signal: AbortSignal.abort() })).not.toThrow()
})
