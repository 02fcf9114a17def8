export type {
  FaultName,
  HomePageData,
  HomePageItem,
  IpcMode,
  PageRenderer,
  PageRendererOptions,
  RenderCallOptions,
  RenderReply,
  RenderRequest,
  RendererApi,
} from './types.js'
export { createPageRenderer } from './create-page-renderer.js'
export { defaultRendererCount } from './correlated-renderer.js'
export { SHARED_CACHE_TTL_MS } from './shared-cache-renderer.js'
export { clientAssetsDir } from '../renderer/client-assets.js'
