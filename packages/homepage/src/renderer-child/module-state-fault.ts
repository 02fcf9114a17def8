import type { RenderReply, RenderRequest } from '../render-contract/types.js'
import type { ClientAssets } from './client-assets.js'
import { renderHomeDocument } from './render-home-document.js'
import type { DataLoad } from './simulate-data-load.js'

// FAULT SWITCH 'module-state' (docs/faults.md): the request's user kept in module scope across an
// await. This is deliberately the only mutable module state in any renderer, and it is reached only
// when the parent starts children with the fault switched on.
let currentRequest: RenderRequest | undefined

export async function renderWithModuleState(
  req: RenderRequest,
  assets: ClientAssets,
  load: DataLoad,
  signal: AbortSignal | undefined
): Promise<RenderReply> {
  currentRequest = req
  await load(signal)
  // By now another render in this process may have replaced currentRequest.
  const seen = currentRequest
  return renderHomeDocument(seen, assets)
}
