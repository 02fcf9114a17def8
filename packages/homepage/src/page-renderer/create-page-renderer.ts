import { HomeBadOptionError, HomeBadRequestError } from '../errors.js'
import { isRenderRequest } from '../render-contract/validate-render-request.js'
import { createCorrelatedRenderer } from './correlated-renderer.js'
import { createFifoTimeoutRenderer } from './fifo-timeout-renderer.js'
import { createInProcessRenderer } from './in-process-renderer.js'
import { createNaiveRenderer } from './naive-renderer.js'
import { withSharedCache } from './shared-cache-renderer.js'
import type { PageRenderer, PageRendererOptions } from './types.js'
import { validateRendererOptions } from './validate-renderer-options.js'

/**
 * Starts the page renderer. 'correlated' (default) is the fix; 'naive' is the story's bug; each
 * fault switch reproduces one real incident (docs/faults.md). All faults are off unless named.
 */
export async function createPageRenderer(options: PageRendererOptions): Promise<PageRenderer> {
  validateRendererOptions(options)
  const o = options as Partial<PageRendererOptions>
  if (o.mode === undefined || o.renderers === undefined || o.renderTimeoutMs === undefined) {
    throw new HomeBadOptionError('mode, renderers and renderTimeoutMs are required')
  }
  options.log?.('renderer-start', {
    mode: options.mode,
    fault: options.fault ?? null,
    renderers: options.renderers,
    production: options.production,
  })
  let renderer: PageRenderer
  if (options.fault === 'fifo-timeout') {
    // The fault is a transport (FIFO matching), so it replaces the mode's transport.
    renderer = await createFifoTimeoutRenderer(options)
  } else if (options.mode === 'in-process') {
    renderer = createInProcessRenderer(options)
  } else if (options.mode === 'naive') {
    renderer = await createNaiveRenderer(options)
  } else {
    renderer = await createCorrelatedRenderer(options)
  }
  return withRequestCheck(options.fault === 'shared-cache' ? withSharedCache(renderer) : renderer)
}

// Refuses a malformed request before it reaches any transport, with a code naming the problem.
function withRequestCheck(inner: PageRenderer): PageRenderer {
  return {
    render(req, options) {
      if (!isRenderRequest(req)) {
        return Promise.reject(
          new HomeBadRequestError(
            'render request must be { view: "home", data: HomePageData, nonce }'
          )
        )
      }
      return inner.render(req, options)
    },
    stats: () => inner.stats(),
    close: () => inner.close(),
  }
}
