// Render a step into a request: templates encoded per context, the VU's own cookies attached.
import { headerEncoder, rawEncoder, renderTemplate, urlEncoder } from '../scenario/template.js'
import type { TemplateScope } from '../scenario/template.js'
import type { JsonTemplate, RequestStep } from '../scenario/types.js'
import type { CookieJar } from './cookie-jar.js'
import type { HttpRequest } from './http-client.js'

function renderJson(value: JsonTemplate, scope: TemplateScope): unknown {
  switch (value.t) {
    case 'string':
      // Raw here: JSON.stringify escapes the whole value once.
      return renderTemplate(value.value, scope, rawEncoder)
    case 'literal':
      return value.value
    case 'array':
      return value.items.map((item) => renderJson(item, scope))
    case 'object':
      return Object.fromEntries(value.entries.map(([k, v]) => [k, renderJson(v, scope)]))
  }
}

/** The request URL for `step` on `target` (used for cookies and evidence). */
export function buildRequest(
  step: RequestStep,
  target: URL,
  scope: TemplateScope,
  jar: CookieJar
): { request: HttpRequest; url: URL } {
  const prefix = target.pathname.replace(/\/+$/, '')
  const path = prefix + renderTemplate(step.path, scope, urlEncoder)
  const url = new URL(path, target.origin)
  const headers: Record<string, string> = {}
  let body: string | undefined
  switch (step.body.kind) {
    case 'none':
      break
    case 'form': {
      const form = new URLSearchParams()
      for (const field of step.body.fields) {
        form.append(field.name, renderTemplate(field.value, scope, rawEncoder))
      }
      body = form.toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
      break
    }
    case 'json':
      body = JSON.stringify(renderJson(step.body.value, scope))
      headers['content-type'] = 'application/json'
      break
  }
  const cookie = jar.cookieHeader(url)
  if (cookie !== undefined) {
    headers.cookie = cookie
  }
  for (const h of step.headers) {
    const value = renderTemplate(h.value, scope, headerEncoder)
    // A scenario cookie header adds to the jar's cookies instead of replacing them.
    headers[h.name] =
      h.name === 'cookie' && headers.cookie !== undefined ? `${headers.cookie}; ${value}` : value
  }
  return { request: { method: step.method, path: url.pathname + url.search, headers, body }, url }
}
