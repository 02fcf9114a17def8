// Renderer child for the story's naive mode and the fifo-timeout fault: plain process.on('message')
// and process.send, no ids, no ipc-rpc. A reply is just the RenderReply, as in the original.
import type { RenderReply } from '../render-contract/types.js'
import { readClientAssets } from './client-assets.js'
import { createRenderHandler } from './create-render-handler.js'
import { READY_MESSAGE, readRendererConfig } from '../render-contract/renderer-config.js'

const config = readRendererConfig(process.env)
const handler = createRenderHandler(config, readClientAssets())

// A parent that went away mid-render is not an error worth a crash report: drop the reply.
const ignoreSendError = (): void => {}

function reply(message: RenderReply | { error: string }): void {
  if (process.connected) {
    process.send?.(message, undefined, {}, ignoreSendError)
  }
}

function renderOne(message: unknown): Promise<void> {
  return handler(message).then(reply, (err: unknown) => {
    reply({ error: err instanceof Error ? err.message : String(err) })
  })
}

if (config.serial) {
  // One render at a time in arrival order, so replies leave in send order (like one connection).
  let tail: Promise<void> = Promise.resolve()
  process.on('message', (message: unknown) => {
    tail = tail.then(() => renderOne(message))
  })
} else {
  process.on('message', (message: unknown) => {
    void renderOne(message)
  })
}
// Tells the parent this child can take renders (module loading under tsx takes a while).
process.send?.(READY_MESSAGE, undefined, {}, ignoreSendError)
// Exit with the parent: the channel closing is the parent going away.
process.on('disconnect', () => {
  process.exit(0)
})
