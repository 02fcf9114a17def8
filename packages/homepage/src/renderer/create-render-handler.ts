import type { RenderReply, RenderRequest } from '../render/types.js'
import type { ClientAssets } from './client-assets.js'
import { renderWithModuleState } from './module-state-fault.js'
import type { RendererConfig } from './renderer-config.js'
import { renderHomeDocument } from './render-home-document.js'
import { simulateDataLoad } from './simulate-data-load.js'
import { isRenderRequest } from './validate-render-request.js'

export type RenderHandler = (req: unknown, signal?: AbortSignal) => Promise<RenderReply>

/** Thrown inside a renderer for a request that is not a well-formed RenderRequest. */
export class BadRenderRequestError extends Error {
  override name = 'BadRenderRequestError'
}

// Every value a render uses is a parameter or a local: concurrent renders cannot see each other.
export function createRenderHandler(config: RendererConfig, assets: ClientAssets): RenderHandler {
  return async (req: unknown, signal?: AbortSignal): Promise<RenderReply> => {
    if (!isRenderRequest(req)) {
      throw new BadRenderRequestError('render request is not a valid RenderRequest')
    }
    if (config.moduleStateFault) {
      return renderWithModuleState(req, assets, config.delay, signal)
    }
    const request: RenderRequest = req
    await simulateDataLoad(config.delay, signal)
    return renderHomeDocument(request, assets)
  }
}
