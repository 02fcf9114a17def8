import { describe, expect, test } from 'vitest'
import { analyseLoginPage } from './analyse-login-page.js'

const page = (body: string, cookies: string[] = [], scripts: string[] = []) =>
  analyseLoginPage({ path: '/login', body, cookies, scripts })

describe('analyseLoginPage', () => {
  test('the homepage shape: a hidden input wins over the meta tag with the same token', () => {
    const { plan, notes } = page(
      '<head><meta name="csrf-token" content="t0k3n"></head><form method="post" action="/login">' +
        '<input type="hidden" name="_csrf" value="t0k3n"><input id="username" name="username" autocomplete="username">' +
        '<input id="password" name="password" type="password"></form>'
    )
    expect(plan).toMatchObject({
      style: 'form',
      submitPath: '/login',
      usernameField: 'username',
      passwordField: 'password',
      csrf: { from: 'hidden-input', field: '_csrf' },
      submitExpect: [302, 303],
      extraFields: {},
    })
    expect(notes.map((n) => n.text)).toContain(
      'CSRF: the hidden input "_csrf", posted back as a form field (the page also has <meta name="csrf-token">)'
    )
  })

  test('Rails: authenticity_token hidden input, utf8 kept as a fixed field, an absolute action becomes a path', () => {
    const { plan } = page(
      '<meta name="csrf-param" content="authenticity_token"><meta name="csrf-token" content="abc">' +
        '<form action="http://127.0.0.1:3000/users/sign_in?next=%2F" method="POST"><input type="hidden" name="utf8" value="✓">' +
        '<input type="hidden" name="authenticity_token" value="abc"><input type="email" name="user[email]">' +
        '<input type="password" name="user[password]"></form>'
    )
    expect(plan).toMatchObject({
      submitPath: '/users/sign_in?next=%2F',
      usernameField: 'user[email]',
      passwordField: 'user[password]',
      csrf: { from: 'hidden-input', field: 'authenticity_token' },
      extraFields: { utf8: '✓' },
    })
  })

  test('Django: csrftoken cookie only (no hidden input) is a double-submit header', () => {
    const { plan } = page(
      '<form method="post" action="/accounts/login/"><input name="login"><input type="password" name="pass"></form>',
      ['sessionid', 'csrftoken']
    )
    expect(plan?.csrf).toEqual({ from: 'cookie', cookie: 'csrftoken', header: 'x-csrf-token' })
  })

  test('a page without a password field gives no plan and says what to do', () => {
    const { plan, notes } = page('<p>Welcome</p>')
    expect(plan).toBeUndefined()
    expect(notes[0]!.kind).toBe('check')
    expect(notes[0]!.text).toMatch(/no password field/)
  })

  test('a script-driven login: endpoint, JSON body, bearer token path and verify page from the script', () => {
    const { plan } = page(
      '<form><input name="email"><input type="password" name="password"></form>',
      [],
      [
        "const r = await axios.post('/api/auth/login', JSON.stringify(x)); const t = res.data.access_token; fetch('/api/users/me', { headers: { Authorization: 'Bearer ' + t } })",
      ]
    )
    expect(plan).toMatchObject({
      style: 'json',
      submitPath: '/api/auth/login',
      usernameField: 'email',
      token: { json: 'data.access_token', header: 'authorization', prefix: 'Bearer ' },
      verifyPath: '/api/users/me',
      submitExpect: [200, 204],
    })
  })
})
