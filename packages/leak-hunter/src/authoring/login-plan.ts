// How a user logs in, as init understands it (from defaults or a probed login page), and the
// commented scenario that follows from it.
import {
  accountColumns,
  DEFAULT_LOAD,
  DEFAULT_MARKERS,
  DEFAULT_THRESHOLDS,
  sectionComments,
} from './draft.js'
import type { DraftComment, InitNote, ScenarioDraft } from './draft.js'

export type CsrfPlan =
  | { from: 'hidden-input'; field: string }
  | { from: 'meta'; selector: string; header: string }
  | { from: 'cookie'; cookie: string; header: string }

export interface LoginPlan {
  /** form: urlencoded POST; json: a JSON POST (usually sent by the page's script). */
  style: 'form' | 'json'
  /** The page fetched first (it sets the pre-login cookie and carries the CSRF token). */
  pagePath: string | undefined
  submitPath: string
  usernameField: string
  passwordField: string
  /** Other fields the form posts with fixed values (e.g. `remember: on`). */
  extraFields: Record<string, string>
  csrf: CsrfPlan | undefined
  submitExpect: number[]
  /** A bearer token read from the login response and sent on every later request. */
  token: { json: string; header: string; prefix: string } | undefined
  verifyPath: string
}

export const DEFAULT_PLAN: LoginPlan = {
  style: 'form',
  pagePath: '/login',
  submitPath: '/login',
  usernameField: 'username',
  passwordField: 'password',
  extraFields: {},
  csrf: { from: 'hidden-input', field: '_csrf' },
  submitExpect: [303],
  token: undefined,
  verifyPath: '/',
}

export interface PlanDraftOptions {
  target: string
  markers: readonly string[] | undefined
  accountsFile: string
  notes: InitNote[]
  /** Comments on login steps, by step role. */
  stepComments?: Partial<Record<'page' | 'submit' | 'verify' | 'csrf' | 'token', string>>
  header: string[]
}

const USERNAME_COLUMN = 'username'
const PASSWORD_COLUMN = 'password'

function csrfExtract(csrf: CsrfPlan): Record<string, unknown> {
  switch (csrf.from) {
    case 'hidden-input':
      return { selector: `input[name="${csrf.field}"]`, attribute: 'value' }
    case 'meta':
      return { selector: csrf.selector }
    case 'cookie':
      return { cookie: csrf.cookie }
  }
}

export function draftFromPlan(plan: LoginPlan, o: PlanDraftOptions): ScenarioDraft {
  const markers = o.markers ?? DEFAULT_MARKERS
  const comments: DraftComment[] = []
  const login: Array<Record<string, unknown>> = []
  const credentials = {
    [plan.usernameField]: `{{account.${USERNAME_COLUMN}}}`,
    [plan.passwordField]: `{{account.${PASSWORD_COLUMN}}}`,
    ...plan.extraFields,
  }
  const submitHeaders: Record<string, string> = {}
  const body: Record<string, string> = { ...credentials }
  if (plan.pagePath !== undefined) {
    const page: Record<string, unknown> = {
      name: 'login-page',
      method: 'GET',
      path: plan.pagePath,
      expect: [200],
    }
    if (plan.csrf !== undefined) {
      page.extract = { csrf: csrfExtract(plan.csrf) }
    }
    login.push(page)
  }
  if (plan.csrf !== undefined) {
    if (plan.csrf.from === 'hidden-input') {
      body[plan.csrf.field] = '{{csrf}}'
    } else {
      submitHeaders[plan.csrf.header] = '{{csrf}}'
    }
  }
  const submit: Record<string, unknown> = {
    name: 'login-submit',
    method: 'POST',
    path: plan.submitPath,
  }
  if (Object.keys(submitHeaders).length > 0) {
    submit.headers = submitHeaders
  }
  submit[plan.style === 'form' ? 'form' : 'json'] = body
  submit.expect = plan.submitExpect
  const authHeaders: Record<string, string> | undefined =
    plan.token === undefined ? undefined : { [plan.token.header]: `${plan.token.prefix}{{token}}` }
  if (plan.token !== undefined) {
    submit.extract = { token: { json: plan.token.json } }
  }
  login.push(submit)
  const verify: Record<string, unknown> = { name: 'verify', method: 'GET', path: plan.verifyPath }
  if (authHeaders !== undefined) {
    verify.headers = authHeaders
  }
  verify.expect = [200]
  verify.verify = true
  login.push(verify)
  const submitIndex = login.length - 2
  const c = o.stepComments ?? {}
  if (plan.pagePath !== undefined) {
    comments.push({
      path: ['login', 0],
      text:
        c.page ??
        (plan.csrf === undefined
          ? 'GET the login page: it sets the pre-login cookie, if any.'
          : 'GET the login page: it sets the pre-login cookie and carries the CSRF token.'),
    })
    if (plan.csrf !== undefined && c.csrf !== undefined) {
      comments.push({ path: ['login', 0, 'extract', 'csrf'], text: c.csrf, inline: true })
    }
  }
  comments.push({
    path: ['login', submitIndex],
    text:
      c.submit ??
      "POST the credentials; {{account.column}} reads this VU's row of the accounts CSV.",
  })
  if (plan.token !== undefined && c.token !== undefined) {
    comments.push({ path: ['login', submitIndex, 'extract', 'token'], text: c.token, inline: true })
  }
  comments.push({
    path: ['login', submitIndex + 1],
    text:
      c.verify ??
      "A page that shows the logged-in user: the owner's marker must appear here, or the login failed.",
  })

  const page: Record<string, unknown> = { name: 'home', method: 'GET', path: plan.verifyPath }
  if (authHeaders !== undefined) {
    page.headers = authHeaders
  }
  page.expect = [200]
  page.expectOwnMarker = true
  const scenario: Record<string, unknown> = {
    name: 'my app',
    target: o.target,
    accounts: { file: o.accountsFile, id: USERNAME_COLUMN, credentials: [PASSWORD_COLUMN] },
    markers: { columns: [...markers], minLength: 3 },
    login,
    pages: [page],
    load: { ...DEFAULT_LOAD },
    thresholds: { ...DEFAULT_THRESHOLDS },
  }
  comments.push(...sectionComments())
  return {
    scenario,
    header: o.header,
    comments,
    accountColumns: accountColumns([USERNAME_COLUMN, PASSWORD_COLUMN], markers),
    notes: o.notes,
  }
}
