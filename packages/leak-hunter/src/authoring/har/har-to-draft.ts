// A browser recording (log in, visit pages) as a scenario: login steps up to the first page after
// the credentials, the pages after it, dynamic values correlated into extract rules and the
// credentials replaced by {{account.username}} and {{account.password}}.
import { HarInvalidError } from '../../errors.js'
import {
  accountColumns,
  DEFAULT_LOAD,
  DEFAULT_MARKERS,
  DEFAULT_THRESHOLDS,
  sectionComments,
} from '../draft.js'
import type { DraftComment, InitNote, ScenarioDraft } from '../draft.js'
import { Correlator, describe, looksDynamic } from './correlator.js'
import { setCookies } from './find-source.js'
import type { HarEntry } from './read-har.js'
import { credentialsIn, requestParts } from './request-parts.js'
import type { Body } from './request-parts.js'
import { isAsset, selectEntries } from './select-entries.js'

export interface HarDraftOptions {
  file: string
  markers: readonly string[] | undefined
  accountsFile: string
}

const USERNAME = 'username'
const PASSWORD = 'password'

class Unrepresentable extends Error {}

function isPageResponse(e: HarEntry): boolean {
  const mime =
    e.responseMimeType || (e.responseHeaders.find(([n]) => n === 'content-type')?.[1] ?? '')
  return e.method === 'GET' && e.status >= 200 && e.status < 300 && /html|json/i.test(mime)
}

function requestKey(e: HarEntry): string {
  return `${e.method} ${e.url.pathname}${e.url.search} ${e.postData?.text ?? ''}`
}

/** Split the kept entries into login steps (ending with the verify step) and pages. */
function splitLogin(
  kept: HarEntry[],
  credentials: HarEntry
): { login: HarEntry[]; pages: HarEntry[] } {
  const c = kept.indexOf(credentials)
  const v = kept.findIndex((e, i) => i > c && isPageResponse(e))
  if (v < 0) {
    throw new HarInvalidError(
      'the recording ends before any page after the login: record logging in, then visiting at least one page that shows the user'
    )
  }
  // Redirects before the login page (an anonymous GET / sent to /login) only navigate.
  const login = kept
    .slice(0, v + 1)
    .filter((e, i) => i >= c || !(e.status >= 300 && e.status < 400 && setCookies(e).size === 0))
  const seen = new Set<string>()
  const pages = kept.slice(v + 1).filter((e) => {
    const key = requestKey(e)
    const fresh = !seen.has(key)
    seen.add(key)
    return fresh
  })
  return { login, pages }
}

export function draftFromHar(all: readonly HarEntry[], o: HarDraftOptions): ScenarioDraft {
  const credentialEntry = all.find(
    (e) => !isAsset(e) && credentialsIn(requestParts(e).body) !== undefined
  )
  if (credentialEntry === undefined) {
    throw new HarInvalidError(
      `${o.file}: no request sends a password field (password, passwd, pwd, …): record logging in, then the pages to check`
    )
  }
  const creds = credentialsIn(requestParts(credentialEntry).body)!
  const origin = credentialEntry.url.origin
  const selection = selectEntries(all, origin)
  if (!selection.entries.includes(credentialEntry)) {
    throw new HarInvalidError(
      `${o.file}: the login request ${describe(credentialEntry)} comes after a logout`
    )
  }
  const split = splitLogin(selection.entries, credentialEntry)
  const steps = [...split.login, ...split.pages]
  const correlator = new Correlator(steps)
  const notes: InitNote[] = [...selection.notes]
  const password = creds.password[1]
  const username = creds.username?.[1]
  notes.push({
    kind: 'guessed',
    text: `credentials: ${describe(credentialEntry)} sends ${creds.username === undefined ? '' : `${creds.username[0]} as {{account.${USERNAME}}} and `}${creds.password[0]} as {{account.${PASSWORD}}}; the recorded values are not written anywhere`,
  })
  if (creds.username === undefined) {
    notes.push({
      kind: 'check',
      text: `no username field found next to ${creds.password[0]}: the login may need one`,
    })
  }
  const unresolved = new Set<string>()

  const template = (value: string, key: string, at: number, use: string): string => {
    if (value === password) {
      return `{{account.${PASSWORD}}}`
    }
    if (username !== undefined && value === username) {
      return `{{account.${USERNAME}}}`
    }
    if (looksDynamic(key, value)) {
      const t = correlator.resolve(value, key, at, use)
      if (t !== undefined) {
        return t
      }
      if (value.length >= 16) {
        unresolved.add(`${use} of ${describe(steps[at]!)}`)
      }
    }
    const scheme = /^(\w+ )(\S+)$/.exec(value)
    if (scheme !== null && looksDynamic(key, scheme[2]!)) {
      const t = correlator.resolve(scheme[2]!, key, at, use)
      if (t !== undefined) {
        return `${scheme[1]}${t}`
      }
    }
    const out = password.length >= 4 ? value.split(password).join(`{{account.${PASSWORD}}}`) : value
    if (out.replaceAll(`{{account.${PASSWORD}}}`, '').includes('{{')) {
      throw new Unrepresentable(`${use} contains "{{", which a scenario template cannot express`)
    }
    return out
  }

  const built: Array<Record<string, unknown> | undefined> = steps.map((e, at) => {
    try {
      return buildStep(e, at, template)
    } catch (err) {
      if (err instanceof Unrepresentable) {
        notes.push({ kind: 'check', text: `${describe(e)} left out: ${err.message}` })
        return undefined
      }
      throw err
    }
  })
  const comments: DraftComment[] = []
  const login: Array<Record<string, unknown>> = []
  const pages: Array<Record<string, unknown>> = []
  steps.forEach((e, i) => {
    const step = built[i]
    if (step === undefined) {
      return
    }
    const extractions = correlator.extractions[i]!
    if (extractions.length > 0) {
      step.extract = Object.fromEntries(extractions.map((x) => [x.name, x.rule]))
    }
    const isLogin = i < split.login.length
    const list = isLogin ? login : pages
    if (isLogin && i === split.login.length - 1) {
      step.verify = true
    }
    list.push(step)
    const section = isLogin ? 'login' : 'pages'
    const index = list.length - 1
    comments.push({
      path: [section, index],
      text: `recorded: ${describe(e)} -> ${e.status}${isLogin && i === split.login.length - 1 ? "; verify: the owner's marker must appear in this response" : ''}`,
    })
    for (const x of extractions) {
      comments.push({
        path: [section, index, 'extract', x.name],
        text: `from ${x.where}`,
        inline: true,
      })
    }
  })
  if (pages.length === 0) {
    // Nothing to load after the login: load the verified page itself.
    const { verify: _verify, extract: _extract, ...page } = login.at(-1)!
    pages.push(page)
    comments.push({
      path: ['pages', 0],
      text: 'the verify page again: the recording has no other page',
    })
    notes.push({
      kind: 'check',
      text: `pages: the recording has no page after ${String(page.name)} to load, so that page is the one loaded`,
    })
  }
  for (const use of unresolved) {
    notes.push({
      kind: 'check',
      text: `${use}: a long value found in no earlier response, kept as recorded (if it changes per session, add an extract rule)`,
    })
  }
  const markers = o.markers ?? DEFAULT_MARKERS
  notes.push(
    ...correlator.notes,
    {
      kind: 'check',
      text: `markers: the accounts CSV columns that identify a user on a page (${markers.join(', ')}); change them with --markers`,
    },
    {
      kind: 'check',
      text: `the accounts CSV needs columns ${accountColumns([USERNAME, PASSWORD], markers).join(', ')} and one row per virtual user`,
    }
  )
  const scenario: Record<string, unknown> = {
    name: `recorded from ${o.file}`,
    target: origin,
    accounts: { file: o.accountsFile, id: USERNAME, credentials: [PASSWORD] },
    markers: { columns: [...markers], minLength: 3 },
    login,
    pages,
    ...(pages.length > 1 ? { order: 'sequence' } : {}),
    load: { ...DEFAULT_LOAD },
    thresholds: { ...DEFAULT_THRESHOLDS },
  }
  comments.push(...sectionComments())
  if (pages.length > 1) {
    comments.push({
      path: ['order'],
      text: 'each iteration visits the pages in the recorded order (weighted: one page per iteration)',
      inline: true,
    })
  }
  return {
    scenario,
    header: [
      `Generated by leak-hunter init from ${o.file}: ${all.length} recorded requests, ${login.length + pages.length} kept.`,
      'Values that earlier responses handed out (CSRF tokens, bearer tokens, ids) are extracted where they',
      'appeared; the recorded username and password are replaced by the accounts CSV columns.',
      'Check the steps, then: leak-hunter run <this file>',
    ],
    comments,
    accountColumns: accountColumns([USERNAME, PASSWORD], markers),
    notes,
  }
}

type Templater = (value: string, key: string, at: number, use: string) => string

function buildStep(e: HarEntry, at: number, template: Templater): Record<string, unknown> {
  const parts = requestParts(e)
  const path =
    '/' +
    parts.segments
      .map((s) => {
        const t = template(s.value, 'id', at, `path segment "${s.value}"`)
        return t === s.value ? s.raw : t
      })
      .join('/') +
    (parts.query.length === 0
      ? ''
      : '?' +
        parts.query
          .map((q) => {
            if (q.rawValue === undefined) {
              return q.rawKey
            }
            const t = template(q.value, decodeURIComponent(q.rawKey), at, `query ${q.rawKey}`)
            return `${q.rawKey}=${t === q.value ? q.rawValue : t}`
          })
          .join('&'))
  const step: Record<string, unknown> = { name: describe(e), method: e.method, path }
  if (parts.headers.length > 0) {
    step.headers = Object.fromEntries(
      parts.headers.map(([n, v]) => [n, template(v, n, at, `header ${n}`)])
    )
  }
  const body = templateBody(parts.body, at, template, describe(e))
  if (body !== undefined) {
    step[parts.body.kind] = body
  }
  step.expect = [e.status === 304 ? 200 : e.status]
  return step
}

function templateBody(body: Body, at: number, template: Templater, what: string): unknown {
  switch (body.kind) {
    case 'none':
      return undefined
    case 'form':
      return Object.fromEntries(
        body.fields.map(([k, v]) => [k, template(v, k, at, `form field ${k}`)])
      )
    case 'json':
      return templateJson(body.value, '', at, template)
    case 'other':
      throw new Unrepresentable(
        `${what} sends a ${body.mimeType} body; scenarios send form or JSON bodies`
      )
  }
}

function templateJson(value: unknown, key: string, at: number, template: Templater): unknown {
  if (typeof value === 'string') {
    return template(value, key, at, `JSON field ${key || '(root)'}`)
  }
  if (Array.isArray(value)) {
    return value.map((v) => templateJson(v, key, at, template))
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        templateJson(v, key === '' ? k : `${key}.${k}`, at, template),
      ])
    )
  }
  return value
}
