import { availableParallelism } from 'node:os'
import { createPool } from '@crosstalk/ipc-rpc'
import { childEnv } from './child-env.js'
import { toRenderError } from './render-errors.js'
import { childExecArgv, rendererProcessEntry } from './child-entries.js'
import type { RendererApi } from '../render-contract/types.js'
import type { PageRenderer, PageRendererOptions } from './types.js'

/** Default pool size: one renderer per core. */
export function defaultRendererCount(): number {
  return availableParallelism()
}

// The fix from the story: every render is an ipc-rpc call with its own id, answered only by the
// reply carrying that id. Late, unknown and duplicate replies are dropped by ipc-rpc.
export async function createCorrelatedRenderer(
  options: PageRendererOptions
): Promise<PageRenderer> {
  const pool = createPool<RendererApi>({
    entry: rendererProcessEntry,
    size: options.renderers,
    execArgv: childExecArgv,
    env: childEnv(options),
    serialization: 'json',
    timeoutMs: options.renderTimeoutMs,
    // A render awaits between steps, so a live child answers pings; one that does not is hung.
    heartbeat: { intervalMs: 2000, timeoutMs: 5000 },
    stdio: 'inherit',
  })
  try {
    await pool.ready()
  } catch (err) {
    await pool.destroy()
    throw toRenderError(err, options.renderTimeoutMs)
  }
  return {
    async render(req, { signal }) {
      try {
        return await pool.callWith(signal === undefined ? {} : { signal }, 'render', req)
      } catch (err) {
        const error = toRenderError(err, options.renderTimeoutMs)
        options.log?.('render-failed', { mode: 'correlated', code: error.code, cause: String(err) })
        throw error
      }
    },
    stats() {
      return { mode: 'correlated', ...pool.stats() }
    },
    close() {
      return pool.close({ timeoutMs: 2000 })
    },
  }
}
