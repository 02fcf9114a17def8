// Renderer child for the story's naive mode and the fifo-timeout fault: plain process.on('message')
// and process.send, no ids, no ipc-rpc. A reply is just the RenderReply, as in the original.
import type { RenderReply } from '../render/types.js'
import { readClientAssets } from './client-assets.js'
import { createRenderHandler } from './create-render-handler.js'
import { readRendererConfig } from './renderer-config.js'

const config = readRendererConfig(process.env)
const handler = createRenderHandler(config, readClientAssets())

function reply(message: RenderReply | { error: string }): void {
  process.send?.(message)
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
// Exit with the parent: the channel closing is the parent going away.
process.on('disconnect', () => {
  process.exit(0)
})
