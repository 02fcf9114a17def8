import { deserialize, serialize } from 'node:v8'
import { describe, expect, test } from 'vitest'
import { RemoteError } from '../errors.js'
import { decodeError, encodeError, type EncodedError, type Serialization } from './error-codec.js'

const wire: Record<Serialization, (e: EncodedError) => EncodedError> = {
  json: (e) => JSON.parse(JSON.stringify(e)) as EncodedError,
  advanced: (e) => deserialize(serialize(e)) as EncodedError,
}

class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    message: string,
    readonly status = 500
  ) {
    super(message)
  }
}

for (const serialization of ['json', 'advanced'] as const) {
  const roundTrip = (thrown: unknown, classes?: Record<string, new (m: string) => Error>) =>
    decodeError(wire[serialization](encodeError(thrown, serialization)), classes)

  describe(`error codec over ${serialization}`, () => {
    test('keeps name, message, stack, code and own props', () => {
      const err = Object.assign(new Error('disk full'), { code: 'ENOSPC', path: '/tmp', n: 3 })
      const back = roundTrip(err) as RemoteError & Record<string, unknown>
      expect(back).toBeInstanceOf(RemoteError)
      expect(back).toMatchObject({
        code: 'RPC_ERR_REMOTE',
        remoteName: 'Error',
        remoteCode: 'ENOSPC',
      })
      expect(back).toMatchObject({ message: 'disk full', path: '/tmp', n: 3 })
      expect(back.remoteStack).toBe(err.stack)
    })

    test('rebuilds a registered class with its props and stack', () => {
      const err = new HttpError('not found', 404)
      const back = roundTrip(err, { HttpError }) as HttpError
      expect(back).toBeInstanceOf(HttpError)
      expect(back.status).toBe(404)
      expect(back.stack).toBe(err.stack)
    })

    test('keeps a cause chain of errors and values, and AggregateError.errors', () => {
      const err = new AggregateError([new TypeError('a'), 'plain'], 'many', {
        cause: new Error('mid', { cause: { why: 'root' } }),
      })
      const back = roundTrip(err) as RemoteError
      expect(back.remoteName).toBe('AggregateError')
      expect(back.errors?.[0]).toMatchObject({ remoteName: 'TypeError', message: 'a' })
      expect(back.errors?.[1]).toBe('plain')
      expect(back.cause).toMatchObject({ message: 'mid' })
      expect((back.cause as Error).cause).toEqual({ why: 'root' })
    })

    test('survives cycles and values the serializer cannot carry', () => {
      const err = new Error('loop') as Error & Record<string, unknown>
      err.cause = err
      err.big = 10n
      err.fn = () => 1
      err.self = err
      const back = roundTrip(err) as RemoteError & Record<string, unknown>
      expect(back.message).toBe('loop')
      if (serialization === 'json') {
        expect(back.big).toBe('10')
      } else {
        expect(back.big).toBe(10n)
      }
    })

    test('a thrown non-Error value becomes a RemoteError holding it', () => {
      for (const value of ['text', 42, null, undefined, { a: 1 }]) {
        const back = roundTrip(value) as RemoteError
        expect(back).toMatchObject({ code: 'RPC_ERR_REMOTE', remoteName: 'NonError' })
        expect(back.thrown).toEqual(value)
      }
    })
  })
}
