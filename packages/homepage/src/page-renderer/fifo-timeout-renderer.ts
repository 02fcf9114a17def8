import type { ChildProcess } from 'node:child_process'
import { HomeRendererUnavailableError } from '../errors.js'
import type { PendingRender } from './pending-render.js'
import { pendingRender, rendererGone, sendRender } from './pending-render.js'
import { startPlainChildren } from './plain-children.js'
import { abortedError } from './render-errors.js'
import type { PageRenderer, PageRendererOptions } from './types.js'

/**
 * FAULT SWITCH 'fifo-timeout' (ChatGPT, March 2023; docs/faults.md): replies are matched to
 * requests in the order they were sent. A request that times out leaves the queue, but its reply
 * is still coming: the next waiting request takes it.
 */
export async function createFifoTimeoutRenderer(
  options: PageRendererOptions
): Promise<PageRenderer> {
  const queues = new Map<ChildProcess, PendingRender[]>()
  let served = 0
  let timeouts = 0
  const children = await startPlainChildren({
    mode: 'fifo-timeout',
    renderer: options,
    // Serial children reply in send order, like one pooled connection.
    serial: true,
    onSpawn(child) {
      const queue: PendingRender[] = []
      queues.set(child, queue)
      child.on('message', (message: unknown) => {
        // Whatever reply arrives belongs, by this logic, to the oldest waiting request.
        const head = queue.shift()
        if (head !== undefined) {
          served += 1
          head.answer(message)
        }
      })
    },
    onGone(child, why) {
      const queue = queues.get(child) ?? []
      queues.delete(child)
      for (const pending of queue.splice(0)) {
        pending.fail(rendererGone(child, why))
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
      if (signal?.aborted === true) {
        return Promise.reject(abortedError(signal))
      }
      const pending = pendingRender({
        timeoutMs: options.renderTimeoutMs,
        signal,
        // The bug: giving up removes the waiter but not the reply it was waiting for.
        onSettle() {
          const at = queue.indexOf(pending)
          if (at !== -1) {
            queue.splice(at, 1)
          }
        },
        onTimeout: () => (timeouts += 1),
      })
      queue.push(pending)
      sendRender(child, req, pending)
      return pending.promise
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
