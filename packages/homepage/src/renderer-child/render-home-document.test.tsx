import { describe, expect, test } from 'vitest'
import { renderRequest } from '../../test/fixtures/render-users.js'
import { HYDRATION_DATA_ID } from '../components/dom-ids.js'
import { renderHomeDocument } from './render-home-document.js'

const assets = { script: '/assets/hydrate-TEST.js', style: '/assets/styles-TEST.css' }

function hydrationJson(html: string): string {
  const start = html.indexOf(`id="${HYDRATION_DATA_ID}"`)
  const open = html.indexOf('>', start) + 1
  return html.slice(open, html.indexOf('</script>', open))
}

describe('renderHomeDocument', () => {
  test('names its own user: display name, email, account id, items, renderedFor', () => {
    const req = renderRequest(7)
    const { html, renderedFor } = renderHomeDocument(req, assets)
    expect(renderedFor).toBe(7)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    // One text node, so "Welcome, <name>" is contiguous in the HTML a leak hunter scans.
    expect(html).toContain('<h1 id="welcome">Welcome, Person Number7</h1>')
    expect(html).toContain('user7@example.test')
    expect(html).toContain('ACC-000007')
    expect(html).toContain('Private note 7-a')
    expect(html).toContain('Private note 7-b')
    expect(html).toContain('2026-11-20 08:30 UTC')
  })

  test('logout is a plain POST form with the hidden _csrf, and the csrf meta tag', () => {
    const { html } = renderHomeDocument(renderRequest(3), assets)
    expect(html).toContain('<form class="logout" action="/logout" method="post">')
    expect(html).toContain('<input type="hidden" name="_csrf" value="csrf-3"/>')
    expect(html).toContain('<meta name="csrf-token" content="csrf-3">')
  })

  test('the hydration-only button is disabled in server HTML', () => {
    const { html } = renderHomeDocument(renderRequest(3), assets)
    expect(html).toMatch(/<button type="button" id="details-toggle" disabled=""/)
    expect(html).toContain('data-hydrated="false"')
  })

  test('links the client bundle and stylesheet and puts the nonce on scripts', () => {
    const { html } = renderHomeDocument(renderRequest(3), assets)
    expect(html).toContain('<script type="module" src="/assets/hydrate-TEST.js" nonce="nonce3">')
    expect(html).toContain(
      `<script type="application/json" id="${HYDRATION_DATA_ID}" nonce="nonce3">`
    )
    expect(html).toContain('<link rel="stylesheet" href="/assets/styles-TEST.css">')
  })

  test('a hostile display name cannot break out of the hydration script or the markup', () => {
    const hostile = `</script><script>alert(1)</script><!--`
    const req = renderRequest(9, {
      displayName: hostile,
      email: `a&b@x.test\u2028`,
      items: [{ id: 1, title: `<img src=x onerror=alert(2)>` }],
    })
    const { html } = renderHomeDocument(req, assets)
    // Exactly the two scripts we wrote; nothing the user controls opened another.
    expect(html.match(/<script/g)).toHaveLength(2)
    expect(html).not.toContain('<img')
    const json = hydrationJson(html)
    expect(json).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(json)).toEqual(req.data)
    expect(html).toContain('<title>Home · &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  test('a hostile nonce or csrf token cannot break out of an attribute', () => {
    const req = { ...renderRequest(4, { csrfToken: '"><script>x</script>' }), nonce: '"><b>' }
    const { html } = renderHomeDocument(req, assets)
    expect(html.match(/<script/g)).toHaveLength(2)
    expect(html).not.toContain('<b>')
  })

  test('no items and a first login render their own wording', () => {
    const { html } = renderHomeDocument(renderRequest(5, { items: [], lastLoginAt: null }), assets)
    expect(html).toContain('No items yet.')
    expect(html).toContain('This is your first login')
  })
})
