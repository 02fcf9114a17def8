// Renderer child entry (correlated mode): answers ipc-rpc 'render' calls. Holds no mutable state;
// the constants below are read once at start-up and never change.
import { serve } from '@crosstalk/ipc-rpc/child'
import type { RendererApi } from '../render-contract/types.js'
import { readClientAssets } from './client-assets.js'
import { createRenderHandler } from './create-render-handler.js'
import { readRendererConfig } from '../render-contract/renderer-config.js'

const handler = createRenderHandler(readRendererConfig(process.env), readClientAssets())

serve<RendererApi>({
  render: (req, ctx) => handler(req, ctx.signal),
})
