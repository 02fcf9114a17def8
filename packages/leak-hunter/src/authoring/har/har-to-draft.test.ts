import { describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { loadScenario } from '../../scenario/load-scenario.js'
import { renderAccountsCsv, renderScenarioYaml } from '../render-draft.js'
import { draftFromHar } from './har-to-draft.js'
import { parseHar } from './read-har.js'

const ORIGIN = 'http://127.0.0.1:8080'
const PASSWORD = 'hunter2-Secret!'

interface Rec {
  method?: string
  path: string
  status?: number
  mime?: string
  body?: string
  post?: { mimeType: string; text: string }
  headers?: Record<string, string>
  responseHeaders?: Record<string, string>
  type?: string
  origin?: string
}

/** A HAR 1.2 file shaped like Chromium's and Playwright's. */
function har(recs: Rec[]): string {
  const entries = recs.map((r, i) => ({
    startedDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    _resourceType: r.type ?? 'document',
    request: {
      method: r.method ?? 'GET',
      url: `${r.origin ?? ORIGIN}${r.path}`,
      headers: Object.entries({ 'user-agent': 'Chrome', cookie: 'sid=abc', ...r.headers }).map(
        ([name, value]) => ({ name, value })
      ),
      ...(r.post === undefined ? {} : { postData: r.post }),
    },
    response: {
      status: r.status ?? 200,
      headers: Object.entries({ 'content-type': r.mime ?? 'text/html', ...r.responseHeaders }).map(
        ([name, value]) => ({ name, value })
      ),
      content: { mimeType: r.mime ?? 'text/html', text: r.body ?? '' },
    },
  }))
  return JSON.stringify({ log: { version: '1.2', entries } })
}

const form = (fields: Record<string, string>): { mimeType: string; text: string } => ({
  mimeType: 'application/x-www-form-urlencoded',
  text: new URLSearchParams(fields).toString(),
})
const json = (value: unknown): { mimeType: string; text: string } => ({
  mimeType: 'application/json',
  text: JSON.stringify(value),
})

async function build(recs: Rec[], markers?: string[]) {
  const draft = draftFromHar(parseHar(har(recs), 'rec.har'), {
    file: 'rec.har',
    markers,
    accountsFile: 'accounts.csv',
  })
  const yaml = renderScenarioYaml(draft)
  const header = renderAccountsCsv(draft)
  const row = draft.accountColumns.map((c) => `row-${c}`).join(',')
  const scenario = await loadScenario({
    scenario: parseYaml(yaml) as Record<string, unknown>,
    accountsCsv: `${header}${row}\n`,
    overrides: { vus: 1 },
  })
  return { draft, yaml, scenario, notes: draft.notes.map((n) => `${n.kind}: ${n.text}`) }
}

const TOKEN = 'Zm9vYmFy.c2lnbmF0dXJlMTIz'

describe('draftFromHar', () => {
  test('form login: the hidden input is correlated, assets and other origins left out, the password never written', async () => {
    const { yaml, scenario, notes, draft } = await build([
      { path: '/', status: 303, responseHeaders: { location: '/login' } },
      {
        path: '/login',
        body: `<meta name="csrf-token" content="${TOKEN}"><form><input type="hidden" name="_csrf" value="${TOKEN}"></form>`,
      },
      { path: '/app.js', type: 'script', mime: 'application/javascript' },
      { path: '/collect', origin: 'https://analytics.example', type: 'xhr' },
      {
        method: 'POST',
        path: '/login',
        status: 303,
        post: form({ _csrf: TOKEN, username: 'ann', password: PASSWORD }),
      },
      { path: '/', body: '<h1>Welcome, Ann</h1>' },
      { path: '/settings?tab=profile', body: '<p>settings</p>' },
    ])
    expect(yaml).not.toContain(PASSWORD)
    expect(scenario.login.map((s) => `${s.method} ${s.path.source}`)).toEqual([
      'GET /login',
      'POST /login',
      'GET /',
    ])
    expect(scenario.login[0]!.extract).toEqual([
      { name: 'csrf', rule: { from: 'css', selector: 'input[name="_csrf"]', attribute: 'value' } },
    ])
    expect(scenario.login[2]!.verify).toBe(true)
    expect(scenario.pages.map((p) => p.path.source)).toEqual(['/settings?tab=profile'])
    // Cookies are the jar's business, browser headers are dropped.
    expect(scenario.login[1]!.headers).toEqual([])
    expect(draft.accountColumns).toEqual(['username', 'password', 'displayName', 'email'])
    expect(notes).toContain(
      'guessed: left out 1 to other origins (only http://127.0.0.1:8080 is requested), 1 static assets (scripts, styles, images, fonts)'
    )
    expect(notes).toContain(
      'guessed: csrf: the hidden input _csrf of GET /login, sent as form field _csrf of POST /login'
    )
  })

  test('JSON login: the bearer token comes from the JSON response, ids in later paths and queries too', async () => {
    const order = 'ord_7f3a9c2e41'
    const { scenario, yaml } = await build([
      {
        method: 'POST',
        path: '/api/login',
        mime: 'application/json',
        type: 'fetch',
        post: json({ user: { email: 'ann@x.test' }, email: 'ann@x.test', password: PASSWORD }),
        body: JSON.stringify({ data: { token: TOKEN } }),
      },
      {
        path: '/api/me',
        mime: 'application/json',
        type: 'fetch',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ name: 'Ann', orders: [{ id: order }] }),
      },
      {
        path: `/api/orders/${order}?expand=items&ref=${order}`,
        mime: 'application/json',
        type: 'fetch',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: '{}',
      },
    ])
    expect(yaml).not.toContain(PASSWORD)
    expect(yaml).not.toContain(TOKEN)
    const [login, me] = scenario.login
    expect(login!.body.kind === 'json' && JSON.stringify(login!.body.value)).toContain(
      '{{account.username}}'
    )
    expect(login!.extract).toEqual([{ name: 'token', rule: { from: 'json', path: 'data.token' } }])
    expect(me!.headers.map((h) => [h.name, h.value.source])).toEqual([
      ['authorization', 'Bearer {{token}}'],
    ])
    expect(me!.extract).toEqual([{ name: 'id', rule: { from: 'json', path: 'orders[0].id' } }])
    expect(scenario.pages[0]!.path.source).toBe('/api/orders/{{id}}?expand=items&ref={{id}}')
  })

  test('a double-submit cookie echoed in a header becomes a cookie extraction', async () => {
    const { scenario } = await build([
      {
        path: '/login',
        responseHeaders: { 'set-cookie': `XSRF-TOKEN=${TOKEN}; Path=/` },
        body: '<form></form>',
      },
      {
        method: 'POST',
        path: '/session',
        status: 204,
        headers: { 'x-xsrf-token': TOKEN },
        post: json({ login: 'ann', pass: PASSWORD }),
      },
      { path: '/', body: 'hi Ann' },
    ])
    expect(scenario.login[0]!.extract).toEqual([
      { name: 'xsrfToken', rule: { from: 'cookie', name: 'XSRF-TOKEN' } },
    ])
    expect(scenario.login[1]!.headers.map((h) => h.value.source)).toEqual(['{{xsrfToken}}'])
  })

  test('a token found only in script text becomes a regex that reads it back', async () => {
    const { scenario } = await build([
      { path: '/login', body: `<script>window.__STATE__ = {"nonce":"${TOKEN}"}</script>` },
      {
        method: 'POST',
        path: '/login',
        status: 302,
        post: form({ username: 'ann', password: PASSWORD, nonce: TOKEN }),
      },
      { path: '/', body: 'hi' },
    ])
    const rule = scenario.login[0]!.extract[0]!.rule
    expect(rule.from).toBe('regex')
    expect(rule.from === 'regex' && rule.pattern.exec(`x = {"nonce":"${TOKEN}"}`)?.[1]).toBe(TOKEN)
  })

  test('logout ends the recording; a body scenarios cannot send is left out with a note', async () => {
    const { scenario, notes } = await build([
      {
        method: 'POST',
        path: '/login',
        status: 303,
        post: form({ username: 'ann', password: PASSWORD }),
      },
      { path: '/', body: 'hi' },
      {
        method: 'POST',
        path: '/upload',
        post: { mimeType: 'multipart/form-data; boundary=x', text: '--x--' },
      },
      { method: 'POST', path: '/logout', status: 303 },
      { path: '/after-logout' },
    ])
    expect(scenario.pages.map((p) => p.path.source)).toEqual(['/'])
    expect(notes).toContain(
      'check: POST /upload left out: POST /upload sends a multipart/form-data; boundary=x body; scenarios send form or JSON bodies'
    )
    expect(
      notes.some((n) =>
        n.includes('POST /logout looks like a logout: left out, with the request after it')
      )
    ).toBe(true)
  })

  test.each([
    ['no request sends a password', [{ path: '/' }], /no request sends a password field/],
    [
      'no page after the login',
      [
        {
          method: 'POST',
          path: '/login',
          status: 303,
          post: form({ username: 'a', password: 'b' }),
        },
      ],
      /ends before any page after the login/,
    ],
  ])('%s: HUNT_ERR_HAR_INVALID', (_label, recs, message) => {
    expect(() =>
      draftFromHar(parseHar(har(recs as Rec[]), 'rec.har'), {
        file: 'rec.har',
        markers: undefined,
        accountsFile: 'a.csv',
      })
    ).toThrow(
      expect.objectContaining({
        code: 'HUNT_ERR_HAR_INVALID',
        message: expect.stringMatching(message),
      })
    )
  })

  test.each([
    ['not JSON', 'nope'],
    ['no log.entries', '{"log":{}}'],
    ['an entry without a url', '{"log":{"entries":[{"request":{"method":"GET"},"response":{}}]}}'],
  ])('a file that is %s: HUNT_ERR_HAR_INVALID', (_label, text) => {
    expect(() => parseHar(text, 'x.har')).toThrow(
      expect.objectContaining({ code: 'HUNT_ERR_HAR_INVALID' })
    )
  })
})
