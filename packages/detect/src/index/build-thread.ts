// A worker thread that compiles indexes off the main thread, one at a time. It is unref'd, so an
// idle one never keeps a process alive, and it is started on first use.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import { AbortedError, BuildFailedError } from '../errors.js'
import type { BuildRequest } from './build-worker.js'
import type { IndexInput, IndexTables } from './compile-index.js'

/** Values a postMessage copies per ms, about (300,000 in 8 ms, measured when this was written). */
const VALUES_PER_MS = 35_000

type Reply = { id: number; tables: IndexTables } | { id: number; error: string }

interface Job {
  resolve(tables: IndexTables): void
  reject(err: Error): void
}

export class BuildThread {
  #worker: Worker | undefined
  #jobs = new Map<number, Job>()
  #nextId = 1

  /**
   * Compiles `input` in the worker; its typed arrays are moved there (the caller loses them). The
   * values go in parts, a turn of the event loop apart, each part at most about `sliceMs` of
   * copying (one message of 300,000 values took 8 ms).
   */
  async compile(input: IndexInput, sliceMs: number, signal?: AbortSignal): Promise<IndexTables> {
    if (signal?.aborted === true) {
      throw new AbortedError(signal.reason)
    }
    const worker = this.#start()
    const id = this.#nextId++
    const result = this.#result(id, signal)
    // It may fail while the parts are still going out: the caller gets it on return.
    result.catch(() => undefined)
    worker.ref()
    const { values, ...rest } = input
    const part = Math.max(1024, Math.round(sliceMs * VALUES_PER_MS))
    for (let at = 0; ; at += part) {
      const chunk = values.slice(at, at + part)
      if (at + part >= values.length) {
        const request: BuildRequest = { id, values: chunk, input: rest }
        worker.postMessage(request, [
          rest.slots.buffer as ArrayBuffer,
          rest.columns.buffer as ArrayBuffer,
        ])
        return result
      }
      worker.postMessage({ id, values: chunk } satisfies BuildRequest)
      await nextTurn()
      if (!this.#jobs.has(id)) {
        // Aborted or failed meanwhile: `result` says how.
        return result
      }
    }
  }

  /** The answer to build `id`, once it comes (or its abort or failure). */
  #result(id: number, signal: AbortSignal | undefined): Promise<IndexTables> {
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
