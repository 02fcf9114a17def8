import { renderToString } from 'react-dom/server'
import { HYDRATION_DATA_ID, ROOT_ID } from '../components/dom-ids.js'
import { HomePage } from '../components/home-page.js'
import type { RenderReply, RenderRequest } from '../render-contract/types.js'
import type { ClientAssets } from './client-assets.js'
import { escapeHtml, serializeForScript } from './escape.js'

// A fresh tree per call; nothing survives between renders.
export function renderHomeDocument(req: RenderRequest, assets: ClientAssets): RenderReply {
  const { data, nonce } = req
  const body = renderToString(<HomePage data={data} />)
  const n = escapeHtml(nonce)
  const style =
    assets.style === null ? '' : `<link rel="stylesheet" href="${escapeHtml(assets.style)}">`
  const html =
    '<!doctype html>' +
    '<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    // An empty icon saves every page load a /favicon.ico request and its 404.
    '<link rel="icon" href="data:,">' +
    `<meta name="csrf-token" content="${escapeHtml(data.csrfToken)}">` +
    `<title>Home · ${escapeHtml(data.displayName)}</title>${style}</head>` +
    `<body><div id="${ROOT_ID}">${body}</div>` +
    `<script type="application/json" id="${HYDRATION_DATA_ID}" nonce="${n}">` +
    `${serializeForScript(data)}</script>` +
    `<script type="module" src="${escapeHtml(assets.script)}" nonce="${n}"></script>` +
    '</body></html>'
  return { html, renderedFor: data.userId }
}
