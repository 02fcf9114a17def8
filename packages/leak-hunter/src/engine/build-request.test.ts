import { describe, expect, test } from 'vitest'
import { parseTemplate } from '../scenario/template.js'
import type { Template } from '../scenario/template.js'
import type { RequestStep } from '../scenario/types.js'
import { buildRequest } from './build-request.js'
import { CookieJar } from './cookie-jar.js'

const t = (s: string): Template => parseTemplate(s) as Template
const scope = {
  account: { username: "o'brien & co", password: 'p"w\\1' },
  vars: new Map([['csrf', 'a+b/c=']]),
}

function step(partial: Partial<RequestStep>): RequestStep {
  return {
    name: 's',
    method: 'GET',
    path: t('/'),
    headers: [],
    body: { kind: 'none' },
    expect: [],
    extract: [],
    ...partial,
  }
}

describe('buildRequest', () => {
  test('path values are URL-encoded; a target path prefix is kept', () => {
    const jar = new CookieJar()
    const { request, url } = buildRequest(
      step({ path: t('/u/{{account.username}}?t={{csrf}}#frag') }),
      new URL('http://127.0.0.1:8080/app/'),
      scope,
      jar
    )
    expect(request.path).toBe("/app/u/o'brien%20%26%20co?t=a%2Bb%2Fc%3D")
    expect(url.pathname).toBe("/app/u/o'brien%20%26%20co")
    expect(url.href).toBe("http://127.0.0.1:8080/app/u/o'brien%20%26%20co?t=a%2Bb%2Fc%3D#frag")
  })

  test('a step is rendered per VU; a fixed path is reused only for the same target', () => {
    const jar = new CookieJar()
    const fixed = step({ path: t('/home?x=1') })
    const a = buildRequest(fixed, new URL('http://127.0.0.1:8080/'), scope, jar)
    expect(buildRequest(fixed, new URL('http://127.0.0.1:8080/'), scope, jar).url.href).toBe(
      a.url.href
    )
    const other = buildRequest(fixed, new URL('http://localhost:9/base'), scope, jar)
    expect(other.url).toMatchObject({ hostname: 'localhost', pathname: '/base/home' })
    expect(other.url.href).toBe('http://localhost:9/base/home?x=1')
    const templated = step({ path: t('/u/{{account.username}}') })
    const target = new URL('http://127.0.0.1:8080/')
    expect(buildRequest(templated, target, scope, jar).request.path).toBe("/u/o'brien%20%26%20co")
    const scope2 = { account: { username: 'bob' }, vars: new Map<string, string>() }
    expect(buildRequest(templated, target, scope2, jar).request.path).toBe('/u/bob')
  })

  test('form bodies are form-encoded and JSON bodies JSON-escaped', () => {
    const jar = new CookieJar()
    const target = new URL('http://127.0.0.1:1')
    const form = buildRequest(
      step({
        method: 'POST',
        body: {
          kind: 'form',
          fields: [
            { name: 'username', value: t('{{account.username}}') },
            { name: '_csrf', value: t('{{csrf}}') },
          ],
        },
      }),
      target,
      scope,
      jar
    ).request
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(new URLSearchParams(form.body!).get('username')).toBe("o'brien & co")
    expect(new URLSearchParams(form.body!).get('_csrf')).toBe('a+b/c=')
    const json = buildRequest(
      step({
        method: 'POST',
        body: {
          kind: 'json',
          value: {
            t: 'object',
            entries: [
              ['p', { t: 'string', value: t('{{account.password}}') }],
              ['n', { t: 'literal', value: 3 }],
            ],
          },
        },
      }),
      target,
      scope,
      jar
    ).request
    expect(JSON.parse(json.body!)).toEqual({ p: 'p"w\\1', n: 3 })
  })

  test('the VU jar supplies cookies; a scenario Cookie header adds to them', () => {
    const jar = new CookieJar()
    const target = new URL('http://127.0.0.1:1')
    jar.storeFromResponse(target, ['sid=s1; Path=/'])
    const r = buildRequest(
      step({
        headers: [
          { name: 'cookie', value: t('extra=1') },
          { name: 'x-csrf', value: t('{{csrf}}') },
        ],
      }),
      target,
      scope,
      jar
    ).request
    expect(r.headers.cookie).toBe('sid=s1; extra=1')
    expect(r.headers['x-csrf']).toBe('a+b/c=')
  })

  test('with a cache, a fixed request is reused until the Cookie header changes', () => {
    const jar = new CookieJar()
    const target = new URL('http://127.0.0.1:8080/')
    const cache = new Map()
    const home = step({ path: t('/home') })
    const first = buildRequest(home, target, scope, jar, cache)
    expect(buildRequest(home, target, scope, jar, cache)).toBe(first)
    jar.storeFromResponse({ protocol: 'http:', hostname: '127.0.0.1', pathname: '/' }, ['sid=1'])
    const second = buildRequest(home, target, scope, jar, cache)
    expect(second).not.toBe(first)
    expect(second.request.headers.cookie).toBe('sid=1')
    expect(buildRequest(home, target, scope, jar, cache)).toBe(second)
    // Anything rendered per request is never reused.
    const templated = [
      step({ path: t('/u/{{csrf}}') }),
      step({ headers: [{ name: 'x-t', value: t('{{csrf}}') }] }),
      step({ method: 'POST', body: { kind: 'form', fields: [] } }),
    ]
    for (const s of templated) {
      const a = buildRequest(s, target, scope, jar, cache)
      expect(buildRequest(s, target, scope, jar, cache)).not.toBe(a)
    }
  })
})
