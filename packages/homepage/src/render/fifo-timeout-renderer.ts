import type { ChildProcess } from 'node:child_process'
import { HomeRendererUnavailableError } from '../errors.js'
import { childEnv } from './child-env.js'
import { startPlainChildren } from './plain-children.js'
import { abortedError, renderTimeoutError } from './render-errors.js'
import { childExecArgv, naiveChildEntry } from './renderer-entry.js'
import type { PageRenderer, PageRendererOptions, RenderReply } from './types.js'

interface Waiter {
  resolve(reply: RenderReply): void
  reject(err: Error): void
}

/**
 * FAULT SWITCH 'fifo-timeout' (ChatGPT, March 2023; docs/faults.md): replies are matched to
 * requests in the order they were sent. A request that times out leaves the queue, but its reply
 * is still coming: the next waiting request takes it.
 */
export async function createFifoTimeoutRenderer(
  options: PageRendererOptions
): Promise<PageRenderer> {
  const queues = new Map<ChildProcess, Waiter[]>()
  let served = 0
  let timeouts = 0
  const children = await startPlainChildren({
    entry: naiveChildEntry,
    count: options.renderers,
    execArgv: childExecArgv,
    // Serial children reply in send order, like one pooled connection.
    env: childEnv({
      production: options.production,
      renderDelayMs: options.renderDelayMs,
      serial: true,
    }),
    onSpawn(child) {
      const queue: Waiter[] = []
      queues.set(child, queue)
      child.on('message', (message: unknown) => {
        const waiter = queue.shift()
        if (waiter === undefined) {
          return
        }
        served += 1
        const reply = message as Partial<RenderReply> & { error?: string }
        if (typeof reply.html === 'string' && typeof reply.renderedFor === 'number') {
          waiter.resolve({ html: reply.html, renderedFor: reply.renderedFor })
        } else {
          waiter.reject(new HomeRendererUnavailableError(`renderer failed: ${String(reply.error)}`))
        }
      })
    },
    onGone(child, why) {
      const queue = queues.get(child) ?? []
      queues.delete(child)
      options.log?.('renderer-gone', { mode: 'fifo-timeout', pid: child.pid, why })
      for (const waiter of queue.splice(0)) {
        waiter.reject(new HomeRendererUnavailableError(`renderer ${String(child.pid)} is gone`))
      }
    },
  })

  return {
    render(req, { signal }) {
      const child = children.next()
      const queue = child === undefined ? undefined : queues.get(child)
      if (child === undefined || queue === undefined) {
        return Promise.reject(new HomeRendererUnavailableError('no renderer child is connected'))
      }
      return new Promise<RenderReply>((resolve, reject) => {
        const settle = (): void => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
        }
        const waiter: Waiter = {
          resolve(reply) {
            settle()
            resolve(reply)
          },
          reject(err) {
            settle()
            reject(err)
          },
        }
        // The bug: giving up removes the waiter but not the reply it was waiting for.
        const leave = (err: Error): void => {
          const at = queue.indexOf(waiter)
          if (at !== -1) {
            queue.splice(at, 1)
          }
          waiter.reject(err)
        }
        const onAbort = (): void => {
          leave(abortedError(signal as AbortSignal))
        }
        const timer = setTimeout(() => {
          timeouts += 1
          leave(renderTimeoutError(options.renderTimeoutMs))
        }, options.renderTimeoutMs)
        signal?.addEventListener('abort', onAbort, { once: true })
        queue.push(waiter)
        child.send(req, (err) => {
          if (err !== null) {
            leave(new HomeRendererUnavailableError(`renderer ${String(child.pid)}: ${err.message}`))
          }
        })
      })
    },
    stats() {
      return {
        mode: 'fifo-timeout',
        queued: [...queues.values()].reduce((n, q) => n + q.length, 0),
        served,
        timeouts,
        restarts: children.restarts,
      }
    },
    close() {
      return children.close()
    },
  }
}
