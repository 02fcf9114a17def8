import { readClientAssets } from '../renderer-child/client-assets.js'
import { createRenderHandler } from '../renderer-child/create-render-handler.js'
import { toRenderError, abortedError, renderTimeoutError } from './render-errors.js'
import type { PageRenderer, PageRendererOptions } from './types.js'

// Renders in the server process itself: the benchmark baseline (no IPC at all).
export function createInProcessRenderer(options: PageRendererOptions): PageRenderer {
  const handler = createRenderHandler(
    {
      delay: options.renderDelayMs ?? null,
      slow: options.slowRender ?? null,
      moduleStateFault: options.fault === 'module-state',
      serial: false,
    },
    readClientAssets()
  )
  let served = 0
  let timeouts = 0
  return {
    async render(req, { signal }) {
      if (signal?.aborted === true) {
        throw abortedError(signal)
      }
      const deadline = new AbortController()
      const timer = setTimeout(() => {
        timeouts += 1
        deadline.abort(renderTimeoutError(options.renderTimeoutMs))
      }, options.renderTimeoutMs)
      const onAbort = (): void => {
        deadline.abort(abortedError(signal as AbortSignal))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      try {
        const reply = await handler(req, deadline.signal)
        served += 1
        return reply
      } catch (err) {
        throw toRenderError(
          deadline.signal.aborted ? deadline.signal.reason : err,
          options.renderTimeoutMs
        )
      } finally {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
    },
    stats() {
      return { mode: 'in-process', served, timeouts }
    },
    close() {
      return Promise.resolve()
    },
  }
}
