// Compile-time checks of the inferred API (checked by `tsc -b packages/ipc-rpc`, which includes
// test/): a wrong method name, argument or result type is a type error. The runtime part makes
// the calls for real over a MessagePort pair so the checked code is also exercised.
import { MessageChannel } from 'node:worker_threads'
import { expect, expectTypeOf, test } from 'vitest'
import {
  createEndpoint,
  messagePortTransport,
  type CallContext,
  type Endpoint,
  type Handlers,
} from '../src/index.js'

type MathApi = {
  add(a: number, b: number): number
  greet(user: { name: string }): Promise<string>
}
type ParentApi = { log(line: string): void }

test('method names, arguments and results are inferred at the call site', async () => {
  const { port1, port2 } = new MessageChannel()
  const handlers: Handlers<MathApi> = {
    add: (a, b, ctx) => {
      expectTypeOf(a).toEqualTypeOf<number>()
      expectTypeOf(ctx).toEqualTypeOf<CallContext>()
      return a + b
    },
    greet: (user) => Promise.resolve(`hi ${user.name}`),
  }
  const server = createEndpoint<ParentApi, MathApi>(messagePortTransport(port2), { handlers })
  const client: Endpoint<MathApi> = createEndpoint<MathApi>(messagePortTransport(port1))
  try {
    const sum = client.call('add', 1, 2)
    expectTypeOf(sum).toEqualTypeOf<Promise<number>>()
    // Promise results are not double-wrapped.
    expectTypeOf(client.remote.greet).returns.toEqualTypeOf<Promise<string>>()
    const greeted = client.callWith({ timeoutMs: 5000 }, 'greet', { name: 'Mary' })
    expectTypeOf(greeted).toEqualTypeOf<Promise<string>>()
    const logged = server.call('log', 'x') // the parent side exposes no handlers here
    void logged.catch(() => {})
    expectTypeOf(logged).toEqualTypeOf<Promise<void>>()

    // @ts-expect-error unknown method name
    void client.call('subtract', 1, 2).catch(() => {})
    // @ts-expect-error wrong argument type
    void client.call('add', '1', 2).catch(() => {})
    // @ts-expect-error missing argument
    void client.remote.greet().catch(() => {})
    // @ts-expect-error handlers must match the API: wrong result type
    const bad: Handlers<MathApi> = { add: () => 'three', greet: () => Promise.resolve('') }
    void bad

    expect(await sum).toBe(3)
    expect(await greeted).toBe('hi Mary')
    expect(await client.remote.greet({ name: 'Mary' })).toBe('hi Mary')
  } finally {
    client.close()
    server.close()
    port1.close()
  }
})
