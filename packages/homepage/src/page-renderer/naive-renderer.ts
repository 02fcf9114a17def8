import type { ChildProcess } from 'node:child_process'
import { HomeRendererUnavailableError } from '../errors.js'
import type { PendingRender } from './pending-render.js'
import { pendingRender, rendererGone, sendRender } from './pending-render.js'
import { startPlainChildren } from './plain-children.js'
import { abortedError } from './render-errors.js'
import type { PageRenderer, PageRendererOptions } from './types.js'

/**
 * THE STORY'S BUG (--ipc naive), kept faithfully: per HTTP request, send the render request to a
 * child and attach child.on('message', listener); the listener answers THIS request with whatever
 * reply arrives next, whichever request it belonged to. Changes for a responsive demo (see
 * docs/faults.md): the listener is removed once it has answered, and a render deadline applies.
 */
export async function createNaiveRenderer(options: PageRendererOptions): Promise<PageRenderer> {
  // Per child, its waiting renders, only to fail them with a 503 if it dies (never for matching).
  const waiting = new Map<ChildProcess, Set<PendingRender>>()
  let served = 0
  let timeouts = 0
  const children = await startPlainChildren({
    mode: 'naive',
    renderer: options,
    serial: false,
    onSpawn(child) {
      waiting.set(child, new Set())
      // Every waiting listener hears every reply; the original raised no limit warning either way.
      child.setMaxListeners(0)
    },
    onGone(child, why) {
      const pending = waiting.get(child)
      waiting.delete(child)
      for (const p of pending ?? []) {
        p.fail(rendererGone(child, why))
      }
    },
  })

  return {
    render(req, { signal }) {
      const child = children.next()
      if (child === undefined) {
        return Promise.reject(new HomeRendererUnavailableError('no renderer child is connected'))
      }
      if (signal?.aborted === true) {
        return Promise.reject(abortedError(signal))
      }
      const mine = waiting.get(child)
      // The bug: no id, no check. Whatever message comes next is taken as this request's page.
      const listener = (message: unknown): void => {
        served += 1
        pending.answer(message)
      }
      const pending = pendingRender({
        timeoutMs: options.renderTimeoutMs,
        signal,
        onSettle() {
          child.off('message', listener)
          mine?.delete(pending)
        },
        onTimeout: () => (timeouts += 1),
      })
      mine?.add(pending)
      child.on('message', listener)
      sendRender(child, req, pending)
      return pending.promise
    },
    stats() {
      return {
        mode: 'naive',
        children: children.all.map((c) => ({ pid: c.pid, listeners: c.listenerCount('message') })),
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
