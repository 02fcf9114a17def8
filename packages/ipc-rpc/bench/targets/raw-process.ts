import { fork } from 'node:child_process'
import { once } from 'node:events'
import { childExecArgv, fixturePath, stopChild } from '../target.js'
import type { Target } from '../target.js'
import type { RenderReply, RenderRequest } from '../workload.js'

interface Waiter {
  resolve(reply: RenderReply): void
  reject(err: Error): void
}

// fork + process.send json with a hand-written correlation Map: the limit for child_process.
export async function startRawProcess(): Promise<Target> {
  const child = fork(fixturePath('raw-child.js'), [], {
    execArgv: childExecArgv(),
    serialization: 'json',
  })
  const pending = new Map<number, Waiter>()
  let nextId = 1
  const [first] = (await once(child, 'message')) as [{ ready?: boolean }]
  if (first.ready !== true) {
    throw new Error('raw child did not report ready')
  }
  child.on('message', (message: RenderReply & { id: number }) => {
    const waiter = pending.get(message.id)
    if (waiter) {
      pending.delete(message.id)
      waiter.resolve(message)
    }
  })
  child.on('exit', (code) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`raw child exited with ${code}`))
    }
    pending.clear()
  })
  return {
    call: (req: RenderRequest) =>
      new Promise<RenderReply>((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve, reject })
        child.send({ id, view: req.view, props: req.props })
      }),
    close: async () => {
      await stopChild(child)
    },
  }
}
