// The parent side of rendering: the server asks a PageRenderer for pages; how it reaches the
// renderer children (and which fault, if any, is switched on) is decided here.
export type {
  HomePageData,
  HomePageItem,
  RenderReply,
  RenderRequest,
  RendererApi,
} from '../render-contract/types.js'
export type { DelayRange, SlowRender } from '../render-contract/renderer-config.js'
export { FAULT_NAMES, IPC_MODES, isFaultName, isIpcMode } from '../render-contract/switches.js'
export type { FaultName, IpcMode } from '../render-contract/switches.js'
export type { PageRenderer, PageRendererOptions, RenderCallOptions } from './types.js'
export { createPageRenderer } from './create-page-renderer.js'
export { defaultRendererCount } from './correlated-renderer.js'
export { SHARED_CACHE_TTL_MS } from './shared-cache-renderer.js'
export { clientAssetsDir } from '../renderer-child/client-assets.js'
