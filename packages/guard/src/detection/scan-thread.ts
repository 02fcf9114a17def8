// Whole bodies of at least `threadBytes` are scanned on a worker thread (scan-thread-worker.ts),
// so the event loop is not held for them. The thread runs a detector of its own (index, page
// cache), told every identity change in one ordered stream with the bodies, so each body is
// scanned against every change made before it. What one event-loop turn sends goes as one message.
// If the thread stops, the event loop scans what it had not answered, and every body after: no
// body goes unchecked.
import { Worker } from 'node:worker_threads'
import type { ResolvedIdentity } from '../identity/identity.js'
import type { AllowlistRule } from '../options.js'
import type { Body, BodyScan, BodyScanner, RouteAllowlist, ThreadStats } from './body-scanner.js'
import type { DetectConfig } from './detect-scanner.js'

export type ThreadRequest =
  | { t: 'set'; identity: ResolvedIdentity }
  | { t: 'delete'; id: string }
  | { t: 'allowlist'; id: number; rules: readonly AllowlistRule[]; where: string }
  | {
      t: 'scan'
      seq: number
      body: Uint8Array
      contentType: string | undefined
      owner: string | undefined
      page: string
      allowlist: number | undefined
    }
  | { t: 'flush'; seq: number }

/** A scan's result, or the message of what the thread threw (the body is then scanned here). */
export type ThreadReply =
  { seq: number; scan: BodyScan } | { seq: number; error: string } | { seq: number }

type ScanArgs = Parameters<BodyScanner['scan']>

interface Waiting {
  /** A scan's arguments, to scan it here if the thread cannot; undefined for a flush. */
  args: ScanArgs | undefined
  resolve(scan: BodyScan | undefined): void
  reject(err: unknown): void
}

/** Starts the worker; tests pass one that misbehaves. */
export type SpawnThread = (config: DetectConfig) => Worker

/** `local` with bodies of at least `minBytes` scanned on a thread that mirrors it. */
export function withScanThread(
  local: BodyScanner,
  config: DetectConfig,
  minBytes: number,
  spawn: SpawnThread = spawnScanThread
): BodyScanner {
  const worker = spawn(config)
  worker.unref()
  const stats: ThreadStats = { scans: 0, fallbacks: 0, running: true }
  const waiting = new Map<number, Waiting>()
  const routes = new WeakMap<
    RouteAllowlist,
    { id: number; rules: readonly AllowlistRule[]; where: string; sent: boolean }
  >()
  let nextSeq = 1
  let nextRoute = 1
  let queue: ThreadRequest[] = []
  let transfer: ArrayBuffer[] = []

  const post = (): void => {
    const batch = queue
    const buffers = transfer
    queue = []
    transfer = []
    if (!stats.running) {
      return
    }
    try {
      worker.postMessage(batch, buffers)
    } catch {
      // Not cloneable (an allowlist rule carrying a function, say): the event loop scans from now.
      stop()
      void worker.terminate()
    }
  }
  const send = (request: ThreadRequest): void => {
    if (!stats.running) {
      return
    }
    if (queue.length === 0) {
      setImmediate(post)
    }
    queue.push(request)
  }
  const ask = (args: ScanArgs | undefined, request: (seq: number) => ThreadRequest) =>
    new Promise<BodyScan | undefined>((resolve, reject) => {
      const seq = nextSeq++
      waiting.set(seq, { args, resolve, reject })
      send(request(seq))
    })
  /** Scans here what the thread was asked and will not answer. */
  const settleHere = (w: Waiting): void => {
    if (w.args === undefined) {
      w.resolve(undefined)
      return
    }
    stats.fallbacks++
    try {
      w.resolve(local.scan(...w.args))
    } catch (err) {
      w.reject(err)
    }
  }
  const stop = (): void => {
    if (!stats.running) {
      return
    }
    stats.running = false
    queue = []
    transfer = []
    const left = [...waiting.values()]
    waiting.clear()
    left.forEach(settleHere)
  }
  worker.on('message', (replies: ThreadReply[]) => {
    for (const reply of replies) {
      const w = waiting.get(reply.seq)
      if (w === undefined) {
        continue
      }
      waiting.delete(reply.seq)
      if ('scan' in reply) {
        stats.scans++
        w.resolve(reply.scan)
      } else if ('error' in reply) {
        settleHere(w)
      } else {
        w.resolve(undefined)
      }
    }
  })
  worker.on('error', stop)
  worker.on('messageerror', stop)
  worker.on('exit', stop)

  return {
    scan: (...args) => local.scan(...args),
    offload(body, contentType, owner, page, allowlist) {
      const size = byteLength(body)
      if (!stats.running || size < minBytes) {
        return undefined
      }
      let route: number | undefined
      if (allowlist !== undefined) {
        const entry = routes.get(allowlist)
        if (entry === undefined) {
          return undefined
        }
        if (!entry.sent) {
          entry.sent = true
          send({ t: 'allowlist', id: entry.id, rules: entry.rules, where: entry.where })
        }
        route = entry.id
      }
      const copy = copyOf(body, size)
      const args: ScanArgs = [body, contentType, owner, page, allowlist]
      const scanned = ask(args, (seq) => ({
        t: 'scan',
        seq,
        body: copy,
        contentType,
        owner,
        page,
        allowlist: route,
      }))
      transfer.push(copy.buffer as ArrayBuffer)
      return scanned as Promise<BodyScan>
    },
    allowlist(rules, where) {
      const compiled = local.allowlist(rules, where)
      routes.set(compiled, { id: nextRoute++, rules, where, sent: false })
      return compiled
    },
    set(identity) {
      local.set(identity)
      send({ t: 'set', identity })
    },
    delete(id) {
      local.delete(id)
      send({ t: 'delete', id })
    },
    async flush() {
      await Promise.all([
        local.flush(),
        stats.running ? ask(undefined, (seq) => ({ t: 'flush', seq })) : undefined,
      ])
    },
    stats: () => ({ ...local.stats(), thread: { ...stats } }),
    close() {
      stop()
      void worker.terminate()
      local.close()
    },
  }
}

/** The scan thread from the built file; from the TypeScript sources (tests), through tsx. */
export function spawnScanThread(config: DetectConfig): Worker {
  const url = new URL('./scan-thread-worker.js', import.meta.url)
  const workerData: DetectConfig = {
    markers: config.markers,
    allowlist: config.allowlist,
    scanCacheBytes: config.scanCacheBytes,
  }
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(url, { workerData })
  }
  const entry = JSON.stringify(url.href.replace(/\.js$/, '.ts'))
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}) })`,
    { eval: true, workerData }
  )
}

function byteLength(body: Body): number {
  if (typeof body === 'string') {
    return Buffer.byteLength(body, 'utf8')
  }
  if (body instanceof Uint8Array) {
    return body.length
  }
  let n = 0
  for (const chunk of body) {
    n += chunk.length
  }
  return n
}

/** The body's `size` bytes in a buffer of their own, to hand to the thread (the caller keeps `body`). */
function copyOf(body: Body, size: number): Uint8Array {
  const chunks =
    typeof body === 'string'
      ? [Buffer.from(body, 'utf8')]
      : body instanceof Uint8Array
        ? [body]
        : body
  const copy = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    copy.set(chunk, at)
    at += chunk.length
  }
  return copy
}
