// Turn a parsed scenario (YAML/JSON object) plus its accounts CSV into a validated Scenario.
import type { Account } from '../detect/types.js'
import { AccountsInvalidError, NotEnoughAccountsError } from '../errors.js'
import {
  asDurationMs,
  asNonEmptyString,
  asObject,
  asString,
  asStringList,
  fail,
  join,
} from './fields.js'
import type { Obj } from './fields.js'
import { stepAllowlists } from './parse-allowlist.js'
import { parseCsv } from './parse-csv.js'
import { checkMarkerColumns, parseMarkers } from './parse-markers.js'
import { checkAccountHeaderValues, checkPathLiteral } from './request-chars.js'
import type { Scenario, ThinkTime } from './types.js'
import { loadAsRun, parseLoad } from './validate-load.js'
import { parseThresholds } from './validate-thresholds.js'
import { BUILTIN_VARS, parseLoginSteps, parsePages } from './validate-steps.js'
import type { TemplateContext } from './validate-steps.js'

const TOP = [
  'name',
  'description',
  'target',
  'accounts',
  'markers',
  'allowlist',
  'login',
  'pages',
  'order',
  'thinkTime',
  'load',
  'thresholds',
]
/** The accounts CSV text, read by the caller from `accounts.file` (or given inline). */
export type CsvSource = (file: string, path: string) => Promise<string>

export function parseTarget(value: unknown, path: string): URL {
  const text = asNonEmptyString(value, path)
  // The URL parser drops tabs and line breaks silently: a target holding one is a mistake.
  checkPathLiteral(text.trim(), path)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    fail(path, `expected an absolute http(s) URL such as http://127.0.0.1:3000, got "${text}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(path, `expected an http: or https: URL, got ${url.protocol}`)
  }
  if (url.username !== '' || url.password !== '') {
    fail(path, 'credentials in the URL are not supported; use a login step')
  }
  return url
}

function parseThinkTime(value: unknown, path: string): ThinkTime {
  if (value === undefined) {
    return { minMs: 0, maxMs: 0 }
  }
  if (typeof value === 'number' || typeof value === 'string') {
    const ms = asDurationMs(value, path)
    return { minMs: ms, maxMs: ms }
  }
  const o = asObject(value, path, ['min', 'max'])
  const minMs = asDurationMs(o.min ?? 0, join(path, 'min'))
  const maxMs = asDurationMs(o.max ?? minMs, join(path, 'max'))
  if (maxMs < minMs) {
    fail(join(path, 'max'), `expected at least min (${minMs} ms), got ${maxMs} ms`)
  }
  return { minMs, maxMs }
}

function buildAccounts(
  csv: string,
  idColumn: string | undefined,
  file: string
): { accounts: Account[]; header: string[]; id: string } {
  const table = parseCsv(csv)
  const id = idColumn ?? table.header[0]!
  const idAt = table.header.indexOf(id)
  if (idAt < 0) {
    fail(
      'accounts.id',
      `the accounts CSV (${file}) has no column "${id}"; columns: ${table.header.join(', ')}`
    )
  }
  const seen = new Set<string>()
  const accounts = table.rows.map((row, index) => {
    const fields: Record<string, string> = {}
    table.header.forEach((name, i) => {
      fields[name] = row[i] ?? ''
    })
    const accountId = row[idAt] ?? ''
    if (seen.has(accountId)) {
      throw new AccountsInvalidError(
        `accounts CSV row ${index + 1}: id "${accountId}" (column ${id}) appears twice`
      )
    }
    seen.add(accountId)
    return { index, id: accountId, fields }
  })
  if (accounts.length === 0) {
    throw new AccountsInvalidError(`the accounts CSV (${file}) has a header but no accounts`)
  }
  return { accounts, header: table.header, id }
}

/** Validate a scenario object. Reads the accounts CSV through `readCsv`; sends no request. */
export async function validateScenario(raw: unknown, readCsv: CsvSource): Promise<Scenario> {
  const o: Obj = asObject(raw, '', TOP)
  if (o.name !== undefined) {
    asString(o.name, 'name')
  }
  const target = parseTarget(o.target, 'target')
  const thresholds = parseThresholds(o.thresholds, 'thresholds')
  const acc = asObject(o.accounts, 'accounts', ['file', 'id', 'credentials'])
  const file = asNonEmptyString(acc.file, 'accounts.file')
  const idColumn = acc.id === undefined ? undefined : asNonEmptyString(acc.id, 'accounts.id')
  const credentials =
    acc.credentials === undefined ? [] : asStringList(acc.credentials, 'accounts.credentials')
  const markers = parseMarkers(o.markers, 'markers')
  const order = o.order === undefined ? 'weighted' : asString(o.order, 'order')
  if (order !== 'weighted' && order !== 'sequence') {
    fail('order', `expected "weighted" or "sequence", got "${order}"`)
  }
  const thinkTime = parseThinkTime(o.thinkTime, 'thinkTime')

  const csv = await readCsv(file, 'accounts.file')
  const { accounts, header, id } = buildAccounts(csv, idColumn, file)
  const load = parseLoad(o.load, 'load', accounts.length)
  const columns = new Set(header)
  credentials.forEach((c, i) => {
    if (!columns.has(c)) {
      fail(
        join('accounts.credentials', i),
        `the accounts CSV has no column "${c}"; columns: ${header.join(', ')}`
      )
    }
  })
  checkMarkerColumns(markers, header, credentials, accounts)
  if (load.vus > accounts.length) {
    throw new NotEnoughAccountsError(accounts.length, load.vus)
  }
  const ctx: TemplateContext = { columns, vars: new Set(BUILTIN_VARS) }
  const allow = stepAllowlists(o.allowlist, 'allowlist', markers.caseInsensitive)
  const login = parseLoginSteps(o.login, 'login', ctx, allow)
  const pages = parsePages(o.pages, 'pages', ctx, allow)
  checkAccountHeaderValues(
    [
      ...login.map((step, i) => ({ step, at: join('login', i) })),
      ...pages.map((step, i) => ({ step, at: join('pages', i) })),
    ],
    accounts
  )
  if (order === 'weighted' && !pages.some((p) => p.weight > 0)) {
    fail('pages', 'with order: weighted at least one page needs a weight above 0')
  }
  return {
    target,
    accountsConfig: { file, idColumn: id, credentials, columns: header },
    accounts,
    markers,
    login,
    pages,
    order,
    thinkTime,
    load,
    thresholds,
    raw: { ...o, load: loadAsRun(o.load, load) },
  }
}
