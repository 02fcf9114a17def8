// One place that knows how to start TypeScript fixtures from Vitest, and kills what it started.
import { fork, type ChildProcess } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'

const started = new Set<ChildProcess | Worker>()

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))
}

/** Forks a .ts fixture with tsx; `serialization` is also passed as argv[2]. */
export function forkTs(
  name: string,
  options: { serialization?: 'json' | 'advanced'; args?: string[] } = {}
): ChildProcess {
  const serialization = options.serialization ?? 'json'
  const child = fork(fixturePath(name), [serialization, ...(options.args ?? [])], {
    execArgv: ['--import', 'tsx'],
    serialization,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  started.add(child)
  child.once('exit', () => started.delete(child))
  return child
}

/** Starts a .ts fixture in a worker thread through the tsx shim. */
export function workerTs(name: string): Worker {
  const worker = new Worker(fixturePath('ts-worker-shim.mjs'), {
    workerData: { entry: fixturePath(name) },
  })
  started.add(worker)
  worker.once('exit', () => started.delete(worker))
  return worker
}

/** Waits for a child or worker to exit (resolves at once if it already has). */
export function exited(target: ChildProcess | Worker): Promise<void> {
  if ('exitCode' in target && (target.exitCode !== null || target.signalCode !== null)) {
    return Promise.resolve()
  }
  if (!started.has(target)) {
    return Promise.resolve()
  }
  return new Promise((resolve) => target.once('exit', () => resolve()))
}

/** Kills everything still running; call from afterEach/afterAll. */
export async function killAll(): Promise<void> {
  const all = [...started]
  await Promise.all(
    all.map(async (target) => {
      const done = exited(target)
      if (target instanceof Worker) {
        await target.terminate()
      } else {
        target.kill('SIGKILL')
      }
      await done
    })
  )
}
