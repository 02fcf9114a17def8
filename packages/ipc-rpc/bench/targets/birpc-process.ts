import { createBirpc } from 'birpc'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { childExecArgv, fixturePath, stopChild } from '../target.js'
import type { Target } from '../target.js'
import type { RendererApi } from '../workload.js'

// birpc over child_process IPC, default options (json channel, identity serializer).
export async function startBirpcProcess(): Promise<Target> {
  const child = fork(fixturePath('birpc-child.js'), [], {
    execArgv: childExecArgv(),
    serialization: 'json',
  })
  await once(child, 'message')
  const rpc = createBirpc<RendererApi>(
    {},
    {
      post: (data) => child.send(data),
      on: (fn) => child.on('message', fn),
    }
  )
  return {
    call: (req) => rpc.render(req),
    close: async () => {
      rpc.$close()
      await stopChild(child)
    },
  }
}
