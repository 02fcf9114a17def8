import workerpool from 'workerpool'
import { fixturePath } from '../target.js'
import type { Target } from '../target.js'
import type { RenderReply } from '../workload.js'

// workerpool with one forked worker; it has no per-worker concurrency option, so it runs one
// task at a time and queues the rest.
export function startWorkerpoolProcess(): Promise<Target> {
  const pool = workerpool.pool(fixturePath('workerpool-worker.js'), {
    workerType: 'process',
    minWorkers: 1,
    maxWorkers: 1,
    forkOpts: { execArgv: [] },
  })
  return Promise.resolve({
    call: (req) => pool.exec('render', [req]) as unknown as Promise<RenderReply>,
    close: async () => {
      await pool.terminate(true)
    },
  })
}
