// Seeds a temporary SQLite file with a few real accounts and drives login flows through inject().
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll } from 'vitest'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { SeededAccount } from '../../src/seed/seed-users.js'
import { seedUsers } from '../../src/seed/seed-users.js'

export interface SeededDb {
  dir: string
  db: string
  accounts: SeededAccount[]
  cleanup(): void
}

export async function seedTempDb(users = 4, seed = 42): Promise<SeededDb> {
  const dir = mkdtempSync(join(tmpdir(), 'homepage-test-'))
  const db = join(dir, 'home.db')
  const { accounts } = await seedUsers({ users, db, seed, itemsPerUser: 2 })
  return { dir, db, accounts, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Throttle counters live in the database file and outlast an app: tests start from none. */
export function forgetAttempts(db: string): void {
  const handle = new Database(db)
  try {
    handle.exec('DELETE FROM login_attempts')
  } finally {
    handle.close()
  }
}

export function setCookies(res: LightMyRequestResponse): string[] {
  const h = res.headers['set-cookie']
  return h === undefined ? [] : Array.isArray(h) ? h : [h]
}

/** Value of the session cookie set by `res`, if any (empty string when cleared). */
export function sessionCookieFrom(res: LightMyRequestResponse, name = 'sid'): string | undefined {
  for (const c of setCookies(res)) {
    if (c.startsWith(`${name}=`)) {
      return c.slice(name.length + 1).split(';')[0]
    }
  }
  return undefined
}

export function csrfFrom(html: string): string {
  const m =
    /name="_csrf" value="([^"]+)"/.exec(html) ?? /name="csrf-token" content="([^"]+)"/.exec(html)
  if (m?.[1] === undefined) {
    throw new Error('no CSRF token in page')
  }
  return m[1]
}

/** The pre-session cookie of GET /login and the form token bound to it. */
export interface LoginForm {
  pre: string
  csrf: string
}

/** Cookie names: `sid` and `presid`, with the `__Host-` prefix under secureCookies. */
export const preSessionName = (sessionName: string): string => sessionName.replace('sid', 'presid')

export async function openLoginForm(app: FastifyInstance, name = 'sid'): Promise<LoginForm> {
  const res = await app.inject({ method: 'GET', url: '/login' })
  const pre = sessionCookieFrom(res, preSessionName(name))
  if (pre === undefined) {
    throw new Error(`GET /login set no pre-session cookie (status ${res.statusCode})`)
  }
  return { pre, csrf: csrfFrom(res.body) }
}

export function postLogin(
  app: FastifyInstance,
  form: { pre?: string; csrf?: string; username: string; password: string },
  name = 'sid'
): Promise<LightMyRequestResponse> {
  const payload: Record<string, string> = { username: form.username, password: form.password }
  if (form.csrf !== undefined) {
    payload._csrf = form.csrf
  }
  return app.inject({
    method: 'POST',
    url: '/login',
    ...(form.pre === undefined ? {} : { cookies: { [preSessionName(name)]: form.pre } }),
    payload: new URLSearchParams(payload).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
}

/** Logs in and returns the post-login session id. */
export async function login(
  app: FastifyInstance,
  account: { username: string; password: string },
  name = 'sid'
): Promise<string> {
  const form = await openLoginForm(app, name)
  const res = await postLogin(app, { ...form, ...account }, name)
  const sid = sessionCookieFrom(res, name)
  if (res.statusCode !== 303 || sid === undefined) {
    throw new Error(`login failed: ${res.statusCode} ${res.body.slice(0, 200)}`)
  }
  return sid
}

/** The CSRF token of a signed-in session, read from its home page. */
export async function homeCsrf(app: FastifyInstance, sid: string, name = 'sid'): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/', cookies: { [name]: sid } })
  return csrfFrom(res.body)
}

export function errorCodeOf(res: LightMyRequestResponse): string | undefined {
  if (String(res.headers['content-type']).startsWith('application/json')) {
    return res.json<{ error?: { code?: string } }>().error?.code
  }
  return /data-error-code="([^"]+)"/.exec(res.body)?.[1]
}

/** A seeded database for the calling test file: made in beforeAll, removed in afterAll. */
export function useSeededDb(users: number, seed: number): { readonly current: SeededDb } {
  let seeded: SeededDb | undefined
  beforeAll(async () => {
    seeded = await seedTempDb(users, seed)
  }, 60_000)
  afterAll(() => seeded?.cleanup())
  return {
    get current() {
      if (seeded === undefined) {
        throw new Error('the seeded database is made in beforeAll')
      }
      return seeded
    },
  }
}
