// Render a step into a request: templates encoded per context, the VU's own cookies attached.
import { headerEncoder, rawEncoder, renderTemplate, urlEncoder } from '../scenario/template.js'
import type { TemplatePart, TemplateScope } from '../scenario/template.js'
import type { JsonTemplate, RequestStep } from '../scenario/types.js'
import type { CookieJar, CookieUrl } from './cookie-jar.js'
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

/** Where a request goes: enough for cookies and evidence, built without a WHATWG URL parse. */
export interface RequestUrl extends CookieUrl {
  href: string
  /** Path and query as sent. */
  path: string
}

/** The parts of the target a request needs; WHATWG URL getters build strings on every read. */
interface TargetParts {
  prefix: string
  protocol: string
  hostname: string
  origin: string
}

const targetParts = new WeakMap<URL, TargetParts>()
/** The URL of a step whose path has no placeholders, built once (RequestUrl is never mutated). */
const staticUrls = new WeakMap<RequestStep, { target: URL; url: RequestUrl }>()

function partsOf(target: URL): TargetParts {
  let parts = targetParts.get(target)
  if (parts === undefined) {
    parts = {
      prefix: target.pathname === '/' ? '' : target.pathname.replace(/\/+$/, ''),
      protocol: target.protocol,
      hostname: target.hostname,
      origin: target.origin,
    }
    targetParts.set(target, parts)
  }
  return parts
}

function requestUrl(step: RequestStep, target: URL, scope: TemplateScope): RequestUrl {
  const cached = staticUrls.get(step)
  if (cached !== undefined && cached.target === target) {
    return cached.url
  }
  const t = partsOf(target)
  const path = t.prefix + renderTemplate(step.path, scope, urlEncoder)
  const end = path.search(/[?#]/)
  const url: RequestUrl = {
    protocol: t.protocol,
    hostname: t.hostname,
    pathname: end < 0 ? path : path.slice(0, end),
    path: path.split('#')[0]!,
    href: `${t.origin}${path}`,
  }
  if (step.path.parts.every((part) => part.kind === 'text')) {
    staticUrls.set(step, { target, url })
  }
  return url
}

/**
 * Build the request for `step`. The path is sent as written (no dot-segment normalisation):
 * substituted values are URL-encoded, so only the scenario's own text shapes it.
 */
export function buildRequest(
  step: RequestStep,
  target: URL,
  scope: TemplateScope,
  jar: CookieJar,
  cache?: Map<RequestStep, BuiltRequest>
): BuiltRequest {
  const url = requestUrl(step, target, scope)
  const cookie = jar.cookieHeader(url)
  // A step with a static path, no body and no headers of its own sends the same request until
  // the VU's Cookie header changes: reuse it (the engine and undici only read it).
  const reusable =
    cache !== undefined &&
    step.body.kind === 'none' &&
    step.headers.length === 0 &&
    staticUrls.get(step)?.url === url
  if (reusable) {
    const last = cache.get(step)
    if (last !== undefined && last.request.headers.cookie === cookie) {
      return last
    }
  }
  const headers: Record<string, string> = {}
  let body: string | null = null
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
  if (cookie !== undefined) {
    headers.cookie = cookie
  }
  for (const h of step.headers) {
    const value = renderTemplate(h.value, scope, headerEncoder)
    // A scenario cookie header adds to the jar's cookies instead of replacing them.
    headers[h.name] =
      h.name === 'cookie' && headers.cookie !== undefined ? `${headers.cookie}; ${value}` : value
  }
  const built = { request: { method: step.method, path: url.path, headers, body }, url }
  if (reusable) {
    cache.set(step, built)
  }
  return built
}

export interface BuiltRequest {
  request: HttpRequest
  url: RequestUrl
}

/**
 * The URL of `step` as reports show it: each placeholder that `hidden` names is `[redacted]`,
 * whatever its value (so even a secret too short to be searched for by value never shows).
 */
export function displayHref(
  step: RequestStep,
  target: URL,
  scope: TemplateScope,
  hidden: (part: TemplatePart) => boolean
): string {
  let path = partsOf(target).prefix
  for (const part of step.path.parts) {
    if (part.kind === 'text') {
      path += part.text
    } else if (hidden(part)) {
      path += '[redacted]'
    } else {
      const value = part.kind === 'var' ? scope.vars.get(part.name) : scope.account[part.column]
      path += urlEncoder(value ?? '')
    }
  }
  return `${partsOf(target).origin}${path}`
}
