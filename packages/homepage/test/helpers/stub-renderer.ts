// A tiny in-process PageRenderer for tests of the server alone (session, CSRF, headers). Process
// tests use the real renderer children instead.
import { setTimeout as sleep } from 'node:timers/promises'
import { HomeRendererUnavailableError } from '../../src/errors.js'
import type {
  PageRenderer,
  PageRendererOptions,
  RenderReply,
  RenderRequest,
} from '../../src/page-renderer/index.js'

export interface StubRendererOptions {
  /** Milliseconds each render waits before answering. */
  delayMs?: number
  /** Makes the next N renders fail as if the child died. */
  failTimes?: number
  /** Claims to have rendered for this user instead (a misbehaving renderer). */
  renderedFor?: number
}

export interface StubRenderer extends PageRenderer {
  calls: RenderRequest[]
  closed: boolean
  options: StubRendererOptions
  createdWith: PageRendererOptions | undefined
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function createStubRenderer(options: StubRendererOptions = {}): StubRenderer {
  const stub: StubRenderer = {
    calls: [],
    closed: false,
    options,
    createdWith: undefined,
    async render(req: RenderRequest): Promise<RenderReply> {
      stub.calls.push(req)
      if ((stub.options.failTimes ?? 0) > 0) {
        stub.options.failTimes = (stub.options.failTimes ?? 0) - 1
        throw new HomeRendererUnavailableError('stub renderer child died')
      }
      if (stub.options.delayMs !== undefined) {
        await sleep(stub.options.delayMs)
      }
      const d = req.data
      const html =
        `<!doctype html><html><head><meta name="csrf-token" content="${escape(d.csrfToken)}"></head>` +
        `<body><h1>Welcome, ${escape(d.displayName)}</h1><p data-user-id="${d.userId}">${escape(d.email)}</p>` +
        `<script nonce="${escape(req.nonce)}" type="module" src="/assets/hydrate.js"></script></body></html>`
      return { html, renderedFor: stub.options.renderedFor ?? d.userId }
    },
    stats: () => ({ calls: stub.calls.length }),
    close(): Promise<void> {
      stub.closed = true
      return Promise.resolve()
    },
  }
  return stub
}

export function stubFactory(stub: StubRenderer): (o: PageRendererOptions) => Promise<PageRenderer> {
  return (o) => {
    stub.createdWith = o
    return Promise.resolve(stub)
  }
}
