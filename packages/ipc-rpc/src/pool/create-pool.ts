import { makeRemote } from '../endpoint/remote-proxy.js'
import type { Api, RemoteMethods } from '../endpoint/types.js'
import { checkMs } from '../endpoint/validate-options.js'
import { CallRouter } from './call-router.js'
import { ChildSupervisor } from './child-supervisor.js'
import type { Pool, PoolCallOptions, PoolOptions } from './pool-types.js'
import { resolvePoolOptions } from './resolve-pool-options.js'

const NO_OPTIONS: PoolCallOptions = Object.freeze({})

/**
 * A pool of child processes, each with its own correlated endpoint (own pending map, ids never
 * reused) and many calls in flight. A supervisor owns the children (spawn, restarts, breaker,
 * recycling, scaling); a router owns the calls (queue, dispatch to the least-loaded child).
 */
export function createPool<Remote extends Api, Local extends Api = Record<never, never>>(
  options: PoolOptions<Local>
): Pool<Remote> {
  const supervisor = new ChildSupervisor(resolvePoolOptions(options as PoolOptions<Api>))
  const router = new CallRouter(supervisor)
  supervisor.start()
  const call = (method: string, ...args: unknown[]): Promise<unknown> =>
    router.submit(NO_OPTIONS, method, args)
  const callWith = (opts: PoolCallOptions, method: string, ...args: unknown[]): Promise<unknown> =>
    router.submit(opts, method, args)
  return {
    call: call as Pool<Remote>['call'],
    callWith: callWith as Pool<Remote>['callWith'],
    remote: makeRemote<RemoteMethods<Remote>>((method, args) =>
      router.submit(NO_OPTIONS, method, args)
    ),
    ready: () => supervisor.ready(),
    stats: () => router.stats(),
    health: () => supervisor.health(),
    close: (closeOptions) => {
      try {
        return supervisor.close(checkMs('timeoutMs', closeOptions?.timeoutMs ?? 10_000, 0))
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    },
    destroy: () => supervisor.destroy(),
  }
}
