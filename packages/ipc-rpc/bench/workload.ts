// The workload of shared/research/baselines.md: a ~200 B JSON request, answered by a ~1 KB reply
// built by string concatenation, so the numbers measure the channel and not the handler.
export interface RenderRequest {
  view: string
  props: {
    name: string
    userId: number
    locale: string
    theme: string
    path: string
    flags: string[]
    session: string
  }
}

export interface RenderReply {
  html: string
  renderedFor: number
}

export type RendererApi = { render(req: RenderRequest): RenderReply }

export function makeRequest(userId: number): RenderRequest {
  return {
    view: 'home',
    props: {
      name: 'Mary Smith',
      userId,
      locale: 'en-GB',
      theme: 'light',
      path: '/home',
      flags: ['beta', 'news', 'compact'],
      session: 'sess-4f1c2d9e8a7b6c5d4e3f2a1b0c9d8e7f',
    },
  }
}

export function renderHome(req: RenderRequest): RenderReply {
  const p = req.props
  let html = '<!doctype html><html lang="' + p.locale + '"><body class="' + p.theme + '">'
  html += '<h1 data-user="' + p.userId + '">Welcome, ' + p.name + '</h1><ul>'
  for (let i = 0; i < 20; i++) {
    html += '<li class="item">Item ' + i + ' of ' + p.path + ' page</li>'
  }
  html += '</ul></body></html>'
  return { html, renderedFor: p.userId }
}
