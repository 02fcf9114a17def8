import { HomeBadOptionError, HomeBadRequestError } from '../errors.js'
import { isRenderRequest } from '../renderer/validate-render-request.js'
import { createCorrelatedRenderer } from './correlated-renderer.js'
import { createFifoTimeoutRenderer } from './fifo-timeout-renderer.js'
import { createInProcessRenderer } from './in-process-renderer.js'
import { createNaiveRenderer } from './naive-renderer.js'
import { withSharedCache } from './shared-cache-renderer.js'
import type { PageRenderer, PageRendererOptions } from './types.js'

const MODES = new Set(['correlated', 'naive', 'in-process'])
const FAULTS = new Set(['fifo-timeout', 'module-state', 'shared-cache'])

function validate(options: PageRendererOptions): void {
  if (!MODES.has(options.mode)) {
    throw new HomeBadOptionError(
      `mode must be correlated, naive or in-process, got ${String(options.mode)}`
    )
  }
  if (options.fault !== undefined && !FAULTS.has(options.fault)) {
    throw new HomeBadOptionError(
      `fault must be fifo-timeout, module-state or shared-cache, got ${String(options.fault)}`
    )
  }
  if (!Number.isSafeInteger(options.renderers) || options.renderers < 1) {
    throw new HomeBadOptionError(
      `renderers must be an integer >= 1, got ${String(options.renderers)}`
    )
  }
  if (!(options.renderTimeoutMs > 0) || !Number.isFinite(options.renderTimeoutMs)) {
    throw new HomeBadOptionError(
      `renderTimeoutMs must be a positive number, got ${String(options.renderTimeoutMs)}`
    )
  }
  const delay = options.renderDelayMs
  if (
    delay !== undefined &&
    !(delay.min >= 0 && delay.max >= delay.min && Number.isFinite(delay.max))
  ) {
    throw new HomeBadOptionError('renderDelayMs must be { min >= 0, max >= min }')
  }
}

/**
 * Starts the page renderer. 'correlated' (default) is the fix; 'naive' is the story's bug; each
 * fault switch reproduces one real incident (docs/faults.md). All faults are off unless named.
 */
export async function createPageRenderer(options: PageRendererOptions): Promise<PageRenderer> {
  validate(options)
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
