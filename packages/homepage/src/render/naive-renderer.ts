import type { ChildProcess } from 'node:child_process'
import { HomeRendererUnavailableError } from '../errors.js'
import { childEnv } from './child-env.js'
import { startPlainChildren } from './plain-children.js'
import { abortedError, renderTimeoutError } from './render-errors.js'
import { childExecArgv, naiveChildEntry } from './renderer-entry.js'
import type { PageRenderer, PageRendererOptions, RenderReply } from './types.js'

type Fail = (err: Error) => void

/**
 * THE STORY'S BUG (--ipc naive), kept faithfully: per HTTP request, send the render request to a
 * child and attach child.on('message', listener); the listener answers THIS request with whatever
 * reply arrives next, whichever request it belonged to. Changes for a responsive demo (see
 * docs/faults.md): the listener is removed once it has answered, and a render deadline applies.
 */
export async function createNaiveRenderer(options: PageRendererOptions): Promise<PageRenderer> {
  // Per child, how to fail its waiting requests if it dies (only for the 503, not for matching).
  const waiting = new Map<ChildProcess, Set<Fail>>()
  let served = 0
  let timeouts = 0
  const children = await startPlainChildren({
    entry: naiveChildEntry,
    count: options.renderers,
    execArgv: childExecArgv,
    env: childEnv({ production: options.production, renderDelayMs: options.renderDelayMs }),
    onSpawn(child) {
      waiting.set(child, new Set())
      // Every waiting listener hears every reply; the original raised no limit warning either way.
      child.setMaxListeners(0)
    },
    onGone(child, why) {
      const fails = waiting.get(child)
      waiting.delete(child)
      options.log?.('renderer-gone', { mode: 'naive', pid: child.pid, why })
      for (const fail of fails ?? []) {
        fail(new HomeRendererUnavailableError(`renderer ${String(child.pid)} is gone (${why})`))
      }
    },
  })

  return {
    render(req, { signal }) {
      const child = children.next()
      if (child === undefined) {
        return Promise.reject(new HomeRendererUnavailableError('no renderer child is connected'))
      }
      return new Promise<RenderReply>((resolve, reject) => {
        const fails = waiting.get(child)
        const cleanup = (): void => {
          child.off('message', listener)
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          fails?.delete(fail)
        }
        // The bug: no id, no check. Whatever message comes next is taken as this request's page.
        const listener = (message: unknown): void => {
          cleanup()
          served += 1
          const reply = message as Partial<RenderReply> & { error?: string }
          if (typeof reply.html === 'string' && typeof reply.renderedFor === 'number') {
            resolve({ html: reply.html, renderedFor: reply.renderedFor })
          } else {
            reject(new HomeRendererUnavailableError(`renderer failed: ${String(reply.error)}`))
          }
        }
        const fail: Fail = (err) => {
          cleanup()
          reject(err)
        }
        const onAbort = (): void => {
          fail(abortedError(signal as AbortSignal))
        }
        const timer = setTimeout(() => {
          timeouts += 1
          fail(renderTimeoutError(options.renderTimeoutMs))
        }, options.renderTimeoutMs)
        fails?.add(fail)
        signal?.addEventListener('abort', onAbort, { once: true })
        child.on('message', listener)
        child.send(req, (err) => {
          if (err !== null) {
            fail(new HomeRendererUnavailableError(`renderer ${String(child.pid)}: ${err.message}`))
          }
        })
      })
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
