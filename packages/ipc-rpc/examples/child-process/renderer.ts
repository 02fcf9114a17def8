// The child: exposes render() to the parent, and can call the parent back.
import { serve, type Endpoint } from '@crosstalk/ipc-rpc/child'
import type { ParentApi, RenderRequest, RendererApi } from './contract.js'

const parent: Endpoint<ParentApi> = serve<RendererApi, ParentApi>({
  // A random delay so replies come back out of order, as they do under real load.
  render: async (req: RenderRequest) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20))
    const sessions = await parent.call('sessionCount') // child-to-parent, same channel
    return { html: `<h1>Welcome, ${req.name}</h1> (${sessions} online)`, renderedFor: req.userId }
  },
})
