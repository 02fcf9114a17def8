import { childProcessTransport, createEndpoint } from '@crosstalk/ipc-rpc'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { childExecArgv, fixturePath, stopChild } from '../target.js'
import type { Target } from '../target.js'
import type { RendererApi } from '../workload.js'

// ipc-rpc over child_process IPC, json, default options (maxInFlight above the deepest load).
export async function startIpcRpcEndpoint(): Promise<Target> {
  const child = fork(fixturePath('ipc-rpc-serve.js'), [], {
    execArgv: childExecArgv(),
    serialization: 'json',
  })
  await once(child, 'message')
  const endpoint = createEndpoint<RendererApi>(childProcessTransport(child))
  return {
    call: (req) => endpoint.call('render', req),
    close: async () => {
      endpoint.close()
      await stopChild(child)
    },
  }
}
