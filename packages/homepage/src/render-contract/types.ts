// The request/reply contract between the server and its renderer children; both sides import it.

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

/** The API a renderer child exposes over ipc-rpc. */
export type RendererApi = {
  render(req: RenderRequest): RenderReply
}
