// Real HTTP on 127.0.0.1 for tests: a listening app, plain node:http requests (any source address
// in 127.0.0.0/8, so per-IP rules can be tested without a proxy), and a browser-like cookie jar.
import { request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { AppOptions } from '../../src/config.js'
import { buildApp } from '../../src/server/build-app.js'

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
  /** Milliseconds from sending the request to the end of the response. */
  ms: number
}

export interface HttpRequest {
  method?: string
  path: string
  headers?: Record<string, string>
  /** A form body (sent urlencoded) or a raw string. */
  form?: Record<string, string>
  /** Source address, e.g. '127.0.0.9' (Linux routes all of 127.0.0.0/8 to loopback). */
  from?: string
}

export interface Served {
  app: FastifyInstance
  url: string
  close(): Promise<void>
}

/** buildApp + listen on 127.0.0.1:0. */
export async function serve(options: AppOptions): Promise<Served> {
  const app = await buildApp(options)
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url, close: () => app.close() }
}

export function httpGet(
  base: string,
  path: string,
  headers: Record<string, string> = {}
): Promise<HttpResponse> {
  return send(base, { path, headers })
}

export function send(base: string, req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.path, base)
  const body = req.form === undefined ? undefined : new URLSearchParams(req.form).toString()
  const headers: Record<string, string> = { ...req.headers }
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: req.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        agent: false,
        ...(req.from === undefined ? {} : { localAddress: req.from }),
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            ms: performance.now() - started,
          })
        )
        res.on('error', reject)
      }
    )
    r.on('error', reject)
    r.end(body)
  })
}

/** name → value of every cookie a response sets; a cleared cookie maps to ''. */
export function cookiesSet(res: HttpResponse): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of res.headers['set-cookie'] ?? []) {
    const pair = line.split(';')[0] ?? ''
    const eq = pair.indexOf('=')
    const cleared = /expires=thu, 01 jan 1970/i.test(line) || /max-age=0/i.test(line)
    out.set(pair.slice(0, eq), cleared ? '' : pair.slice(eq + 1))
  }
  return out
}

export function csrfIn(html: string): string {
  const m =
    /name="_csrf" value="([^"]+)"/.exec(html) ?? /name="csrf-token" content="([^"]+)"/.exec(html)
  if (m?.[1] === undefined) {
    throw new Error(`no CSRF token in page: ${html.slice(0, 200)}`)
  }
  return m[1]
}

export function errorCodeIn(res: HttpResponse): string | undefined {
  if (String(res.headers['content-type']).startsWith('application/json')) {
    return (JSON.parse(res.body) as { error?: { code?: string } }).error?.code
  }
  return /data-error-code="([^"]+)"/.exec(res.body)?.[1]
}

/** One user agent: its own cookies and source address, like a browser on one machine. */
export class Browser {
  readonly cookies = new Map<string, string>()
  readonly #base: string
  readonly #from: string | undefined

  constructor(base: string, from?: string) {
    this.#base = base
    this.#from = from
  }

  async request(req: Omit<HttpRequest, 'from'>): Promise<HttpResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await send(this.#base, {
      ...req,
      headers: { ...(cookie === '' ? {} : { cookie }), ...req.headers },
      ...(this.#from === undefined ? {} : { from: this.#from }),
    })
    for (const [name, value] of cookiesSet(res)) {
      if (value === '') {
        this.cookies.delete(name)
      } else {
        this.cookies.set(name, value)
      }
    }
    return res
  }

  get(path: string): Promise<HttpResponse> {
    return this.request({ path })
  }

  post(path: string, form: Record<string, string>): Promise<HttpResponse> {
    return this.request({ method: 'POST', path, form })
  }

  /** GET /login and the form's CSRF token. */
  async openLoginForm(): Promise<string> {
    const res = await this.get('/login')
    if (res.status !== 200) {
      throw new Error(`GET /login: ${res.status}`)
    }
    return csrfIn(res.body)
  }

  /** The whole form login; resolves with the POST /login response. */
  async login(account: { username: string; password: string }): Promise<HttpResponse> {
    const csrf = await this.openLoginForm()
    return this.post('/login', { ...account, _csrf: csrf })
  }
}
