// A worker thread that compiles indexes off the main thread, one at a time. It is unref'd, so an
// idle one never keeps a process alive, and it is started on first use.
import { Worker } from 'node:worker_threads'
import { AbortedError, BuildFailedError } from '../errors.js'
import type { BuildRequest } from './build-worker.js'
import type { IndexInput, IndexTables } from './compile-index.js'

type Reply = { id: number; tables: IndexTables } | { id: number; error: string }

interface Job {
  resolve(tables: IndexTables): void
  reject(err: Error): void
}

export class BuildThread {
  #worker: Worker | undefined
  #jobs = new Map<number, Job>()
  #nextId = 1

  /** Compiles `input` in the worker; its typed arrays are moved there (the caller loses them). */
  compile(input: IndexInput, signal?: AbortSignal): Promise<IndexTables> {
    if (signal?.aborted === true) {
      return Promise.reject(new AbortedError(signal.reason))
    }
    const worker = this.#start()
    const id = this.#nextId++
    return new Promise<IndexTables>((resolve, reject) => {
      const onAbort = (): void => {
        // The worker cannot be interrupted mid-build: end it (other jobs fail with it).
        this.#fail(new AbortedError(signal?.reason))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#jobs.set(id, {
        resolve: (tables) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(tables)
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort)
          reject(err)
        },
      })
      worker.ref()
      const request: BuildRequest = { id, input }
      worker.postMessage(request, [
        input.slots.buffer as ArrayBuffer,
        input.columns.buffer as ArrayBuffer,
      ])
    })
  }

  /** Ends the worker; pending builds reject with DETECT_ERR_ABORTED. */
  async close(): Promise<void> {
    const worker = this.#worker
    this.#fail(new AbortedError('closed'))
    await worker?.terminate()
  }

  #start(): Worker {
    if (this.#worker !== undefined) {
      return this.#worker
    }
    const worker = workerFor(new URL('./build-worker.js', import.meta.url))
    worker.on('message', (reply: Reply) => {
      const job = this.#jobs.get(reply.id)
      this.#jobs.delete(reply.id)
      if (this.#jobs.size === 0) {
        worker.unref()
      }
      if ('error' in reply) {
        job?.reject(new BuildFailedError(`the index build failed in its worker: ${reply.error}`))
      } else {
        job?.resolve(reply.tables)
      }
    })
    worker.on('error', (err) => {
      this.#fail(new BuildFailedError('the index build worker failed', { cause: err }))
    })
    worker.on('exit', (code) => {
      if (this.#worker === worker) {
        this.#fail(new BuildFailedError(`the index build worker exited with code ${code}`))
      }
    })
    worker.unref()
    this.#worker = worker
    return worker
  }

  /** Rejects every pending build and forgets the worker (the next build starts another). */
  #fail(err: Error): void {
    const worker = this.#worker
    this.#worker = undefined
    const jobs = [...this.#jobs.values()]
    this.#jobs.clear()
    for (const job of jobs) {
      job.reject(err)
    }
    if (worker !== undefined && err instanceof AbortedError) {
      void worker.terminate()
    }
  }
}

/**
 * A worker running `url`. From the TypeScript sources (tests, tsx) the .js file does not exist and
 * worker threads do not inherit tsx's loader: register it first, then load the .ts entry.
 */
function workerFor(url: URL): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(url)
  }
  const entry = url.href.replace(/\.js$/, '.ts')
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`,
    { eval: true }
  )
}
