import { childProcessTransport, createEndpoint } from '@crosstalk/ipc-rpc'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { childExecArgv, fixturePath, stopChild } from '../target.js'
import type { Target } from '../target.js'
import type { RendererApi } from '../workload.js'

// ipc-rpc over child_process IPC, json; maxInFlight (1024) is above the deepest load.
async function start(maxBatch: number | undefined): Promise<Target> {
  const child = fork(
    fixturePath('ipc-rpc-serve.js'),
    maxBatch === undefined ? [] : [`${maxBatch}`],
    {
      execArgv: childExecArgv(),
      serialization: 'json',
    }
  )
  await once(child, 'message')
  const endpoint = createEndpoint<RendererApi>(
    childProcessTransport(child),
    maxBatch === undefined ? {} : { maxBatch }
  )
  return {
    call: (req) => endpoint.call('render', req),
    close: async () => {
      endpoint.close()
      await stopChild(child)
    },
  }
}

/** Default options: messages sent within a tick share one write. */
export const startIpcRpcEndpoint = (): Promise<Target> => start(undefined)

/** maxBatch 1 on both sides: one write per message, like the limit, to show what batching buys. */
export const startIpcRpcUnbatched = (): Promise<Target> => start(1)
