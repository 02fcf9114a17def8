import { createEndpoint, workerTransport } from '@crosstalk/ipc-rpc'
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { fixturePath } from '../target.js'
import type { Target } from '../target.js'
import type { RendererApi } from '../workload.js'

// ipc-rpc over worker_threads, default options.
export async function startIpcRpcWorker(): Promise<Target> {
  const worker = new Worker(fixturePath('ipc-rpc-serve.js'))
  await once(worker, 'message')
  const endpoint = createEndpoint<RendererApi>(workerTransport(worker))
  return {
    call: (req) => endpoint.call('render', req),
    close: async () => {
      endpoint.close()
      await worker.terminate()
    },
  }
}
