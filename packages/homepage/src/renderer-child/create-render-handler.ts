import type { RendererConfig } from '../render-contract/renderer-config.js'
import type { RenderReply, RenderRequest } from '../render-contract/types.js'
import { isRenderRequest } from '../render-contract/validate-render-request.js'
import type { ClientAssets } from './client-assets.js'
import { renderWithModuleState } from './module-state-fault.js'
import { renderHomeDocument } from './render-home-document.js'
import { createDataLoad } from './simulate-data-load.js'

export type RenderHandler = (req: unknown, signal?: AbortSignal) => Promise<RenderReply>

/** Thrown inside a renderer for a request that is not a well-formed RenderRequest. */
export class BadRenderRequestError extends Error {
  override name = 'BadRenderRequestError'
}

// Every value a render uses is a parameter or a local: concurrent renders cannot see each other.
export function createRenderHandler(config: RendererConfig, assets: ClientAssets): RenderHandler {
  const load = createDataLoad(config.delay, config.slow)
  return async (req: unknown, signal?: AbortSignal): Promise<RenderReply> => {
    if (!isRenderRequest(req)) {
      throw new BadRenderRequestError('render request is not a valid RenderRequest')
    }
    if (config.moduleStateFault) {
      return renderWithModuleState(req, assets, load, signal)
    }
    const request: RenderRequest = req
    await load(signal)
    return renderHomeDocument(request, assets)
  }
}
