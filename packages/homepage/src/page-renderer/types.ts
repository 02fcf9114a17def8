// What the server sees of the render layer: one PageRenderer, whatever the transport.
import type { DelayRange, SlowRender } from '../render-contract/renderer-config.js'
import type { FaultName, IpcMode } from '../render-contract/switches.js'
import type { RenderReply, RenderRequest } from '../render-contract/types.js'

export interface PageRendererOptions {
  mode: IpcMode
  fault?: FaultName
  renderers: number
  production: boolean
  /** Per-render deadline, e.g. 2000. */
  renderTimeoutMs: number
  /** Simulated data-loading latency inside the renderer (tests, demo, fault defaults). */
  renderDelayMs?: DelayRange
  /** Every N-th render of each renderer is slow (the fifo-timeout fault's default trigger). */
  slowRender?: SlowRender
  log?: (event: string, fields: Record<string, unknown>) => void
}

export interface RenderCallOptions {
  path: string
  signal?: AbortSignal
}

export interface PageRenderer {
  render(req: RenderRequest, options: RenderCallOptions): Promise<RenderReply>
  stats(): Record<string, unknown>
  close(): Promise<void>
}
