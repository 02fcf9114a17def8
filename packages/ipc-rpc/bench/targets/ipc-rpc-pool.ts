import { createPool } from '@crosstalk/ipc-rpc'
import { childExecArgv, fixturePath } from '../target.js'
import type { Target } from '../target.js'
import type { RendererApi } from '../workload.js'

// The ipc-rpc pool with exactly one child, so it is compared with one raw child.
export async function startIpcRpcPool(): Promise<Target> {
  const pool = createPool<RendererApi>({
    entry: fixturePath('ipc-rpc-serve.js'),
    size: 1,
    execArgv: childExecArgv(),
    serialization: 'json',
    maxInFlightPerChild: 256,
    stdio: 'inherit',
  })
  await pool.ready()
  return {
    call: (req) => pool.call('render', req),
    close: () => pool.close({ timeoutMs: 5_000 }),
  }
}
