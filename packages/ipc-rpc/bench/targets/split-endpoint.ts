import { childProcessTransport, createEndpoint } from '@crosstalk/ipc-rpc'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { childExecArgv, fixturePath, stopChild } from '../target.js'
import type { Target } from '../target.js'
import type { RendererApi, RenderReply, RenderRequest } from '../workload.js'

// Diagnostics that swap one side of the ipc-rpc channel for hand-written code, to tell whether a
// gap to the limit comes from the calling (parent) or the serving (child) side.
export async function startRpcParentRawChild(): Promise<Target> {
  const child = fork(fixturePath('envelope-child.js'), [], { execArgv: childExecArgv() })
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

export async function startRawParentRpcChild(): Promise<Target> {
  const child = fork(fixturePath('ipc-rpc-serve.js'), [], { execArgv: childExecArgv() })
  await once(child, 'message')
  const pending = new Map<number, (reply: RenderReply) => void>()
  let nextId = 1
  child.on('message', (m: { id: number; r: RenderReply }) => {
    const resolve = pending.get(m.id)
    if (resolve) {
      pending.delete(m.id)
      resolve(m.r)
    }
  })
  return {
    call: (req: RenderRequest) =>
      new Promise<RenderReply>((resolve) => {
        const id = nextId++
        pending.set(id, resolve)
        child.send({ $ipcrpc: 1, k: 'req', id, m: 'render', a: [req] })
      }),
    close: () => stopChild(child),
  }
}
