import type { Api, CallOptions, RemoteMethods } from '../endpoint/types.js'
import { BadOptionError } from '../errors.js'
import { PoolCore } from './pool-core.js'
import type { Pool, PoolOptions } from './pool-types.js'
import { resolvePoolOptions } from './resolve-pool-options.js'

/**
 * A pool of child processes, each with its own correlated endpoint (own pending map, ids never
 * reused) and many calls in flight. Calls go to the least-loaded ready child; children are
 * respawned with backoff, recycled by rolling replacement and watched by heartbeats.
 */
export function createPool<Remote extends Api, Local extends Api = Record<never, never>>(
  options: PoolOptions<Local>
): Pool<Remote> {
  const core = new PoolCore(resolvePoolOptions(options))
  const callWith = (opts: CallOptions, method: string, ...args: unknown[]): Promise<unknown> =>
    core.submit(opts, method, args)
  const remote = new Proxy(
    {},
    {
      // 'then' stays undefined so that awaiting `pool.remote` does not send a call named then.
      get: (_target, method) =>
        typeof method === 'string' && method !== 'then'
          ? (...args: unknown[]) => core.submit({}, method, args)
          : undefined,
    }
  ) as RemoteMethods<Remote>
  return {
    call: ((method: string, ...args: unknown[]) =>
      core.submit({}, method, args)) as Pool<Remote>['call'],
    callWith: callWith as Pool<Remote>['callWith'],
    remote,
    ready: () => core.ready(),
    stats: () => core.stats(),
    health: () => core.health(),
    close: (closeOptions) => {
      const timeoutMs = closeOptions?.timeoutMs ?? 10_000
      if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
        return Promise.reject(
          new BadOptionError('timeoutMs', `expected a number >= 0, got ${String(timeoutMs)}`)
        )
      }
      return core.close(timeoutMs)
    },
    destroy: () => core.destroy(),
  }
}
