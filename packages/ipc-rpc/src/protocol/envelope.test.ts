import { expect, test } from 'vitest'
import { isEnvelope, isTagged, requestMessage, resultMessage, controlMessage } from './envelope.js'

test('builders produce valid envelopes', () => {
  expect(isEnvelope(requestMessage(1, 'm', [1]))).toBe(true)
  expect(isEnvelope(resultMessage(2, undefined))).toBe(true)
  expect(isEnvelope(controlMessage('cancel', 3))).toBe(true)
})

test('tagged but invalid messages are not envelopes; untagged ones are foreign', () => {
  expect(isEnvelope({ $ipcrpc: 2, k: 'res', id: 1 })).toBe(false)
  expect(isEnvelope({ $ipcrpc: 1, k: 'res', id: 0 })).toBe(false)
  expect(isEnvelope({ $ipcrpc: 1, k: 'res', id: 1.5 })).toBe(false)
  expect(isEnvelope({ $ipcrpc: 1, k: 'req', id: 1, m: 'x', a: 'no' })).toBe(false)
  expect(isEnvelope({ $ipcrpc: 1, k: 'what', id: 1 })).toBe(false)
  expect(isTagged({ $ipcrpc: 'x' })).toBe(true)
  expect(isTagged({ id: 1, r: 'x' })).toBe(false)
  expect(isTagged('text')).toBe(false)
})
