import { Tinypool } from 'tinypool'
import { fixturePath } from '../target.js'
import type { Target } from '../target.js'
import type { RenderReply } from '../workload.js'

// tinypool with one child process (runtime child_process), pipelining up to `depth` tasks on it.
export function startTinypoolProcess(depth: number): Promise<Target> {
  const pool = new Tinypool({
    filename: fixturePath('pool-task.js'),
    runtime: 'child_process',
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: depth,
  })
  return Promise.resolve({
    call: (req) => pool.run(req) as Promise<RenderReply>,
    close: () => pool.destroy(),
  })
}
