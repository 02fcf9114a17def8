// Read a login page: the form and its fields, where the CSRF token comes from (hidden input, meta
// tag or cookie), and for script-driven logins the endpoint, body style and token the script uses.
import { selectAll, selectOne } from 'css-select'
import { getAttributeValue, textContent } from 'domutils'
import { parseDocument } from 'htmlparser2'
import type { InitNote } from './draft.js'
import type { CsrfPlan, LoginPlan } from './login-plan.js'

type Element = Parameters<typeof getAttributeValue>[0]

export interface LoginPage {
  /** Path of the page that was read (after same-origin redirects). */
  path: string
  body: string
  /** Names of the cookies the page set. */
  cookies: string[]
  /** Inline scripts and same-origin scripts the page loads, as text. */
  scripts: string[]
}

export interface LoginAnalysis {
  plan: LoginPlan | undefined
  notes: InitNote[]
}

const CSRF_NAME = /csrf|xsrf|authenticity|_token$|^token$|nonce|verification/i
const USERNAME_NAME = /user|login|email|account|ident/i
const LOGIN_URL = /log-?in|sign-?in|session|auth|token/i
const ME_URL = /\/(me|whoami|profile|account|user)(\b|\/|$)/i

const attr = (el: Element, name: string): string | undefined => getAttributeValue(el, name)

function csrfHeaderFor(cookieOrMeta: string, scripts: string): string {
  const named = /['"`](x-[\w-]*(?:csrf|xsrf)[\w-]*)['"`]/i.exec(scripts)
  if (named !== null) {
    return named[1]!.toLowerCase()
  }
  return /xsrf/i.test(cookieOrMeta) ? 'x-xsrf-token' : 'x-csrf-token'
}

/** Same-origin URLs the scripts request (fetch, axios, XMLHttpRequest.open). */
function scriptUrls(scripts: string): string[] {
  const found = new Set<string>()
  const re =
    /(?:fetch|axios(?:\.\w+)?|\.open)\(\s*(?:['"`][A-Z]+['"`]\s*,\s*)?['"`](\/[^'"`\s]*)['"`]/g
  for (const m of scripts.matchAll(re)) {
    found.add(m[1]!)
  }
  return [...found]
}

/** `body.data.token` -> `data.token`: the token's JSON path, dropping the variable holding the body. */
function tokenPath(scripts: string): string | undefined {
  const m =
    /\b[A-Za-z_$][\w$]*((?:\.[A-Za-z_$][\w$]*)*\.(?:access_?token|token|jwt|accessToken))\b/.exec(
      scripts
    )
  return m === null ? undefined : m[1]!.slice(1)
}

/** The path a form posts to; an absolute action keeps only its path (the target is the origin). */
function formAction(form: Element, pagePath: string): { path: string; host: string | undefined } {
  const action = attr(form, 'action')
  if (action === undefined || action === '') {
    return { path: pagePath, host: undefined }
  }
  try {
    const url = new URL(action, `http://page.invalid${pagePath}`)
    return {
      path: `${url.pathname}${url.search}`,
      host: url.host === 'page.invalid' ? undefined : url.host,
    }
  } catch {
    return { path: pagePath, host: undefined }
  }
}

export function analyseLoginPage(page: LoginPage): LoginAnalysis {
  const notes: InitNote[] = []
  const doc = parseDocument(page.body)
  const scripts = [
    ...page.scripts,
    ...selectAll<unknown, Element>('script:not([src])', doc).map((s) => textContent(s)),
  ].join('\n')
  const password = selectOne<unknown, Element>('input[type="password" i]', doc)
  if (password === null) {
    return {
      plan: undefined,
      notes: [
        {
          kind: 'check',
          text: `${page.path} has no password field: give the login page itself with --target, or record a login with --har`,
        },
      ],
    }
  }
  const form = findAncestor(password, 'form')
  const inputs =
    form === undefined
      ? selectAll<unknown, Element>('input', doc)
      : selectAll<unknown, Element>('input', form)
  const passwordField = attr(password, 'name') ?? 'password'
  const visible = inputs.filter((i) => {
    const type = (attr(i, 'type') ?? 'text').toLowerCase()
    return ['text', 'email', 'tel', ''].includes(type) && attr(i, 'name') !== undefined
  })
  const userInput =
    visible.find(
      (i) =>
        USERNAME_NAME.test(attr(i, 'name')!) || /username|email/.test(attr(i, 'autocomplete') ?? '')
    ) ?? visible[0]
  const usernameField = userInput === undefined ? 'username' : attr(userInput, 'name')!
  if (userInput === undefined) {
    notes.push({
      kind: 'check',
      text: 'no username field next to the password: guessed "username"',
    })
  }
  notes.push({
    kind: 'guessed',
    text: `fields: ${usernameField} and ${passwordField} are posted from the accounts CSV columns username and password`,
  })

  // The CSRF token: a hidden input in the form first, then a meta tag, then a cookie.
  const hidden = inputs.filter(
    (i) => (attr(i, 'type') ?? '').toLowerCase() === 'hidden' && attr(i, 'name') !== undefined
  )
  const csrfInput = hidden.find((i) => CSRF_NAME.test(attr(i, 'name')!))
  const extraFields: Record<string, string> = {}
  for (const h of hidden) {
    if (h !== csrfInput) {
      extraFields[attr(h, 'name')!] = attr(h, 'value') ?? ''
    }
  }
  for (const cb of inputs.filter(
    (i) =>
      (attr(i, 'type') ?? '').toLowerCase() === 'checkbox' &&
      attr(i, 'checked') !== undefined &&
      attr(i, 'name') !== undefined
  )) {
    extraFields[attr(cb, 'name')!] = attr(cb, 'value') ?? 'on'
  }
  const meta = selectAll<unknown, Element>('meta[name]', doc).find(
    (m) => /csrf|xsrf/i.test(attr(m, 'name')!) && !/param/i.test(attr(m, 'name')!)
  )
  const csrfCookie = page.cookies.find((c) => /csrf|xsrf/i.test(c))
  let csrf: CsrfPlan | undefined
  if (csrfInput !== undefined) {
    csrf = { from: 'hidden-input', field: attr(csrfInput, 'name')! }
    notes.push({
      kind: 'guessed',
      text:
        `CSRF: the hidden input "${csrf.field}", posted back as a form field` +
        (meta === undefined ? '' : ` (the page also has <meta name="${attr(meta, 'name')!}">)`),
    })
  } else if (meta !== undefined) {
    const name = attr(meta, 'name')!
    csrf = { from: 'meta', selector: `meta[name="${name}"]`, header: csrfHeaderFor(name, scripts) }
    notes.push({
      kind: 'guessed',
      text: `CSRF: <meta name="${name}">, sent back in the ${csrf.header} header`,
    })
  } else if (csrfCookie !== undefined) {
    csrf = { from: 'cookie', cookie: csrfCookie, header: csrfHeaderFor(csrfCookie, scripts) }
    notes.push({
      kind: 'guessed',
      text: `CSRF: the cookie ${csrfCookie} (double submit), echoed in the ${csrf.header} header`,
    })
  } else {
    notes.push({
      kind: 'check',
      text: 'CSRF: no token found (no hidden input, meta tag or cookie named like csrf/xsrf): if the server wants one, add an extract rule',
    })
  }

  const method = form === undefined ? undefined : (attr(form, 'method') ?? 'get').toLowerCase()
  const scripted = form === undefined || attr(form, 'action') === undefined || method !== 'post'
  const urls = scriptUrls(scripts)
  let style: LoginPlan['style'] = 'form'
  const action =
    form === undefined ? { path: page.path, host: undefined } : formAction(form, page.path)
  let submitPath = action.path
  if (action.host !== undefined) {
    notes.push({
      kind: 'check',
      text: `the form posts to ${action.host}: the scenario posts ${submitPath} on the target; if that is another origin, hunt that origin`,
    })
  }
  let token: LoginPlan['token']
  let verifyPath = '/'
  if (scripted) {
    const endpoint = urls.find((u) => LOGIN_URL.test(u))
    if (endpoint !== undefined) {
      submitPath = endpoint
    }
    style = /JSON\.stringify/.test(scripts) || /application\/json/.test(scripts) ? 'json' : 'form'
    notes.push({
      kind: 'guessed',
      text: `the form is sent by the page's script: POST ${submitPath} as ${style === 'json' ? 'JSON' : 'a urlencoded form'}${endpoint === undefined ? ' (no request URL found in the script: check the path)' : ''}`,
    })
    if (/Bearer/.test(scripts)) {
      const json = tokenPath(scripts) ?? 'token'
      token = { json, header: 'authorization', prefix: 'Bearer ' }
      notes.push({
        kind: 'guessed',
        text: `the script sends a Bearer token: read from the login response at "${json}" and sent as authorization: Bearer {{token}}`,
      })
    }
    const me = urls.find((u) => ME_URL.test(u) && u !== submitPath)
    if (me !== undefined) {
      verifyPath = me
    }
  } else {
    notes.push({
      kind: 'guessed',
      text: `submit: POST ${submitPath} (the form's action) as a urlencoded form`,
    })
  }
  const submitExpect = style === 'json' ? [200, 204] : [302, 303]
  notes.push(
    {
      kind: 'guessed',
      text: `a successful login answers ${submitExpect.join(' or ')}: check login-submit.expect`,
    },
    {
      kind: 'check',
      text: `verify: GET ${verifyPath} must show the logged-in user's marker${verifyPath === '/' ? ' (guessed: the home page)' : ' (guessed from the script)'}`,
    }
  )
  return {
    plan: {
      style,
      pagePath: page.path,
      submitPath,
      usernameField,
      passwordField,
      extraFields,
      csrf,
      submitExpect,
      token,
      verifyPath,
    },
    notes,
  }
}

function findAncestor(el: Element, name: string): Element | undefined {
  let at: unknown = el.parent
  while (at !== null && at !== undefined) {
    if ((at as Element).name === name) {
      return at as Element
    }
    at = (at as Element).parent
  }
  return undefined
}
