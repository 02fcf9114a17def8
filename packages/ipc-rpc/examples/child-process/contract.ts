// The one type both sides share: what the renderer child exposes.
export interface RenderRequest {
  userId: string
  name: string
}
export interface RenderReply {
  html: string
  renderedFor: string
}
export type RendererApi = {
  render(req: RenderRequest): RenderReply
}
export type ParentApi = {
  sessionCount(): number
}
