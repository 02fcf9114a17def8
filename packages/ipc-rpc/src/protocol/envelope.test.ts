import { expect, test } from 'vitest'
import {
  batchMessage,
  controlMessage,
  isEnvelope,
  isTagged,
  requestMessage,
  resultMessage,
} from './envelope.js'

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

test('a batch carries envelopes in order, counts them in its id, and never nests', () => {
  const batch = batchMessage([requestMessage(1, 'm', []), controlMessage('cancel', 1)])
  expect(batch).toMatchObject({ k: 'batch', id: 2 })
  expect(isEnvelope(batch)).toBe(true)
  expect(isEnvelope({ ...batch, id: 3 })).toBe(false)
  expect(isEnvelope({ $ipcrpc: 1, k: 'batch', id: 1, b: 'no' })).toBe(false)
  expect(isEnvelope(batchMessage([batch]))).toBe(false)
  expect(isEnvelope({ $ipcrpc: 1, k: 'batch', id: 1, b: [{ k: 'res', id: 1 }] })).toBe(false)
})
