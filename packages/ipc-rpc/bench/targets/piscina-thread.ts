import { Piscina } from 'piscina'
import { fixturePath } from '../target.js'
import type { Target } from '../target.js'
import type { RenderReply, RenderRequest } from '../workload.js'

// piscina with one worker thread, pipelining up to `depth` tasks on it.
export function startPiscinaThread(depth: number): Promise<Target> {
  const pool = new Piscina<RenderRequest, RenderReply>({
    filename: fixturePath('pool-task.js'),
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: depth,
  })
  return Promise.resolve({
    call: (req) => pool.run(req),
    close: () => pool.destroy(),
  })
}
