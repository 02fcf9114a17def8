import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { fixturePath } from '../target.js'
import type { Target } from '../target.js'
import type { RenderReply, RenderRequest } from '../workload.js'

interface Waiter {
  resolve(reply: RenderReply): void
  reject(err: Error): void
}

// Worker + postMessage with a hand-written correlation Map: the limit for worker_threads.
export async function startRawThread(): Promise<Target> {
  const worker = new Worker(fixturePath('raw-worker.js'))
  const pending = new Map<number, Waiter>()
  let nextId = 1
  const [first] = (await once(worker, 'message')) as [{ ready?: boolean }]
  if (first.ready !== true) {
    throw new Error('raw worker did not report ready')
  }
  worker.on('message', (message: RenderReply & { id: number }) => {
    const waiter = pending.get(message.id)
    if (waiter) {
      pending.delete(message.id)
      waiter.resolve(message)
    }
  })
  worker.on('exit', (code) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`raw worker exited with ${code}`))
    }
    pending.clear()
  })
  return {
    call: (req: RenderRequest) =>
      new Promise<RenderReply>((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve, reject })
        worker.postMessage({ id, view: req.view, props: req.props })
      }),
    close: async () => {
      await worker.terminate()
    },
  }
}
