// A worker thread that compiles indexes off the main thread, one at a time, from its own copy of
// the identities' values: the caller tells it each change (buffered, sent in small parts), so a
// rebuild sends only what changed since the last. It is unref'd, so an idle one never keeps a
// process alive, and it is started on first use.
import { Worker } from 'node:worker_threads'
import { AbortedError, BuildFailedError } from '../errors.js'
import type { BuildRequest, Changes } from './build-worker.js'
import type { ColumnValues, CompileOptions, IndexTables } from './compile-index.js'

/**
 * Values buffered before they are sent: one part is copied in about 0.25 ms (a postMessage copies
 * about 35,000 values per ms, measured when this was written), so sending never stalls the sender.
 */
const PART_VALUES = 8192

/** A build's tables, and each id's slot (slot-table.ts). */
export interface Built {
  tables: IndexTables
  slots: Int32Array
}

type Reply = (Built & { id: number; count: number }) | { id: number; error: string }

interface Job {
  resolve(built: Built): void
  reject(err: Error): void
  /** Identities the worker must hold for this build (its copy is out of step otherwise). */
  count: number
}

export class BuildThread {
  #worker: Worker | undefined
  #jobs = new Map<number, Job>()
  #nextId = 1
  #changes = none()
  #lost = false

  /**
   * True once the worker (and its copy of the identities) is gone, after a failure or an abort:
   * changes are dropped until reset(), after which the caller sets every identity again.
   */
  get lost(): boolean {
    return this.#lost
  }

  reset(): void {
    this.#lost = false
    this.#changes = none()
  }

  /** Records that `id` now has these values (by column, in index order). */
  set(id: string, values: ColumnValues): void {
    if (this.#lost) {
      return
    }
    const changes = this.#changes
    let count = 0
    values.forEach((list, column) => {
      for (const value of list) {
        changes.values.push(value)
        changes.columns.push(column)
        count++
      }
    })
    changes.ids.push(id)
    changes.counts.push(count)
    if (changes.values.length >= PART_VALUES) {
      this.#flush()
    }
  }

  delete(id: string): void {
    if (!this.#lost) {
      this.#changes.ids.push(id)
      this.#changes.counts.push(-1)
    }
  }

  /**
   * Compiles every identity set and not deleted so far, in the order first set (a Map's order),
   * in the worker. The request goes out before this returns: later changes are not in it.
   * `count`: how many identities the caller holds, checked against the worker's copy.
   */
  compile(options: CompileOptions, count: number, signal?: AbortSignal): Promise<Built> {
    if (signal?.aborted === true) {
      return Promise.reject(new AbortedError(signal.reason))
    }
    if (this.#lost) {
      return Promise.reject(new BuildFailedError('the build worker lost its identities: reset()'))
    }
    this.#flush()
    const worker = this.#start()
    const id = this.#nextId++
    const result = this.#result(id, count, signal)
    worker.ref()
    worker.postMessage({ kind: 'build', id, options } satisfies BuildRequest)
    return result
  }

  #flush(): void {
    const changes = this.#changes
    if (changes.ids.length > 0) {
      this.#changes = none()
      this.#start().postMessage({ kind: 'changes', changes } satisfies BuildRequest)
    }
  }

  /** The answer to build `id`, once it comes (or its abort or failure). */
  #result(id: number, count: number, signal: AbortSignal | undefined): Promise<Built> {
    return new Promise<Built>((resolve, reject) => {
      const onAbort = (): void => {
        // The worker cannot be interrupted mid-build: end it (other jobs fail with it).
        this.#fail(new AbortedError(signal?.reason))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#jobs.set(id, {
        count,
        resolve: (built) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(built)
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
      } else if (job !== undefined && reply.count !== job.count) {
        // Never expected: a copy out of step would give slots that name the wrong identities.
        const err = new BuildFailedError(
          `the build worker held ${reply.count} identities, not ${job.count}`
        )
        job.reject(err)
        this.#fail(err)
      } else {
        job?.resolve({ tables: reply.tables, slots: reply.slots })
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

  /** Rejects every pending build and forgets the worker and its copy (see `lost`). */
  #fail(err: Error): void {
    const worker = this.#worker
    this.#worker = undefined
    this.#lost = true
    this.#changes = none()
    const jobs = [...this.#jobs.values()]
    this.#jobs.clear()
    for (const job of jobs) {
      job.reject(err)
    }
    if (worker !== undefined) {
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

function none(): Changes {
  return { ids: [], counts: [], values: [], columns: [] }
}
