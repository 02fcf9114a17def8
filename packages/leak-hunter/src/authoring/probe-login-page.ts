// `init --target URL`: fetch the login page (following same-origin redirects, trying /login when
// the URL is the site's root) and the scripts it loads, then analyse it. A few GETs, never a POST.
import { request } from 'undici'
import { ArgsInvalidError, TargetUnreachableError } from '../errors.js'
import type { LoginPage } from './analyse-login-page.js'

const MAX_REQUESTS = 10
const MAX_SCRIPTS = 3
const MAX_BYTES = 512 * 1024
const FALLBACK_PATHS = ['/login', '/signin', '/users/sign_in', '/account/login']

export interface ProbeResult {
  origin: string
  page: LoginPage
  /** Every GET made, for the summary: `GET /` -> 303, ... */
  trail: string[]
}

interface Fetched {
  status: number
  location: string | undefined
  cookies: string[]
  body: string
}

export function parseProbeUrl(target: string): URL {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    throw new ArgsInvalidError(
      `--target: expected an absolute http(s) URL such as http://127.0.0.1:3000/login, got "${target}"`
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ArgsInvalidError(`--target: expected an http: or https: URL, got ${url.protocol}`)
  }
  return url
}

async function get(url: URL, timeoutMs: number, signal: AbortSignal | undefined): Promise<Fetched> {
  let res
  try {
    res = await request(url, {
      method: 'GET',
      headers: {
        accept: 'text/html,application/json;q=0.9,*/*;q=0.8',
        'user-agent': 'leak-hunter-init',
      },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(signal === undefined ? {} : { signal }),
    })
  } catch (err) {
    throw new TargetUnreachableError(
      `cannot fetch ${url.href}: ${(err as { code?: string }).code ?? (err as Error).message}`,
      { cause: err }
    )
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length
    if (size > MAX_BYTES) {
      res.body.destroy()
      break
    }
    chunks.push(chunk as Buffer)
  }
  const raw = res.headers['set-cookie']
  const cookies = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map((c) =>
    c.slice(0, Math.max(0, c.indexOf('='))).trim()
  )
  const location = res.headers.location
  return {
    status: res.statusCode,
    location: Array.isArray(location) ? location[0] : location,
    cookies,
    body: Buffer.concat(chunks).toString('utf8'),
  }
}

export async function probeLoginPage(
  target: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {}
): Promise<ProbeResult> {
  const start = parseProbeUrl(target)
  const timeoutMs = options.timeoutMs ?? 10_000
  const trail: string[] = []
  let budget = MAX_REQUESTS
  const visit = async (first: URL): Promise<ProbeResult> => {
    let url = first
    const cookies: string[] = []
    for (;;) {
      budget--
      const res = await get(url, timeoutMs, options.signal)
      trail.push(`GET ${url.pathname}${url.search} -> ${res.status}`)
      cookies.push(...res.cookies)
      const next = res.location === undefined ? undefined : new URL(res.location, url)
      if (
        res.status >= 300 &&
        res.status < 400 &&
        next !== undefined &&
        next.origin === start.origin &&
        budget > 0
      ) {
        url = next
        continue
      }
      const scripts: string[] = []
      for (const m of [...res.body.matchAll(/<script[^>]*\ssrc=["']([^"']+)["']/gi)].slice(
        0,
        MAX_SCRIPTS
      )) {
        const src = new URL(m[1]!, url)
        if (src.origin === start.origin && budget > 0) {
          budget--
          const js = await get(src, timeoutMs, options.signal)
          trail.push(`GET ${src.pathname} -> ${js.status}`)
          if (js.status === 200) {
            scripts.push(js.body)
          }
        }
      }
      return {
        origin: start.origin,
        trail,
        page: { path: `${url.pathname}${url.search}`, body: res.body, cookies, scripts },
      }
    }
  }
  const hasPassword = (r: ProbeResult): boolean => /type=["']?password/i.test(r.page.body)
  const first = await visit(start)
  if (hasPassword(first) || start.pathname !== '/') {
    return first
  }
  // The site's root without a login form: try the usual login paths.
  for (const path of FALLBACK_PATHS) {
    if (budget <= 0) {
      break
    }
    const next = await visit(new URL(path, start))
    if (hasPassword(next)) {
      return next
    }
  }
  return first
}
