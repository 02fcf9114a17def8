import {
  AbortedError,
  PeerGoneError,
  PoolClosedError,
  PoolFailingError,
  QueueFullError,
  RemoteError,
  TimeoutError,
} from '@crosstalk/ipc-rpc'
import { describe, expect, test } from 'vitest'
import { HomeRenderTimeoutError } from '../errors.js'
import { toRenderError } from './render-errors.js'

// The server sees only HomeErrors from render(); these are ipc-rpc's own error classes.
describe('toRenderError', () => {
  test('an ipc-rpc timeout is HOME_ERR_RENDER_TIMEOUT (504)', () => {
    const err = toRenderError(new TimeoutError('render', 7, 50), 50)
    expect(err).toMatchObject({ code: 'HOME_ERR_RENDER_TIMEOUT', statusCode: 504 })
  })

  test.each([
    ['peer gone', new PeerGoneError({ reason: 'exit', pid: 1, exitCode: null, signal: 'SIGKILL' })],
    ['pool closed', new PoolClosedError('render')],
    ['pool failing', new PoolFailingError('render')],
    ['queue full', new QueueFullError('render', 10)],
    ['aborted', new AbortedError('render', 3, new Error('client left'))],
    ['renderer threw', new RemoteError('boom', { name: 'TypeError' })],
  ])('%s is HOME_ERR_RENDERER_UNAVAILABLE (503), keeping the cause', (_what, cause) => {
    const err = toRenderError(cause, 50)
    expect(err).toMatchObject({ code: 'HOME_ERR_RENDERER_UNAVAILABLE', statusCode: 503 })
    expect(err.cause).toBe(cause)
  })

  test('a request the renderer refused as malformed is HOME_ERR_BAD_REQUEST', () => {
    const cause = new RemoteError('bad', { name: 'BadRenderRequestError' })
    expect(toRenderError(cause, 50)).toMatchObject({ code: 'HOME_ERR_BAD_REQUEST' })
  })

  test('a HomeError passes through unchanged', () => {
    const err = new HomeRenderTimeoutError('late')
    expect(toRenderError(err, 50)).toBe(err)
  })
})
