// The seam between the server (consumer) and the render layer (provider). See home-shared contract.

export interface HomePageItem {
  id: number
  title: string
}

export interface HomePageData {
  userId: number
  username: string
  displayName: string
  email: string
  accountId: string
  lastLoginAt: string | null
  items: HomePageItem[]
  /** For the logout form on the page. */
  csrfToken: string
}

export interface RenderRequest {
  view: 'home'
  data: HomePageData
  /** CSP nonce for the inline script(s). */
  nonce: string
}

export interface RenderReply {
  /** Full HTML document. */
  html: string
  /** The userId the renderer says it rendered for; the server checks it against the session. */
  renderedFor: number
}

export type IpcMode = 'correlated' | 'naive' | 'in-process'
export type FaultName = 'fifo-timeout' | 'module-state' | 'shared-cache'

export interface PageRendererOptions {
  mode: IpcMode
  fault?: FaultName
  renderers: number
  production: boolean
  /** Per-render deadline, e.g. 2000. */
  renderTimeoutMs: number
  /** Simulated data-loading latency inside the renderer (tests, demo). */
  renderDelayMs?: { min: number; max: number }
  log?: (event: string, fields: Record<string, unknown>) => void
}

export interface RenderCallOptions {
  path: string
  signal?: AbortSignal
}

export interface PageRenderer {
  render(req: RenderRequest, options: RenderCallOptions): Promise<RenderReply>
  stats(): Record<string, unknown>
  close(): Promise<void>
}

/** The API a renderer child exposes over ipc-rpc. */
export type RendererApi = {
  render(req: RenderRequest): RenderReply
}
