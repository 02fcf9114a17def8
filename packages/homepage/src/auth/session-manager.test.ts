import { afterEach, describe, expect, test } from 'vitest'
import { openDatabase } from '../store/database.js'
import { SqliteSessionStore } from '../store/sqlite-session-store.js'
import { SessionManager } from './session-manager.js'

const dbs: Array<{ close(): void }> = []
afterEach(() => dbs.splice(0).forEach((d) => d.close()))

function setup(idleMs = 1000, absoluteMs = 10_000) {
  const db = openDatabase(':memory:')
  dbs.push(db)
  db.prepare(
    "INSERT INTO users (id, username, password_hash, display_name, email, account_id) VALUES (1, 'u', 'h', 'U', 'u@x', 'A')"
  ).run()
  const clock = { now: 0 }
  const sessions = new SessionManager({
    store: new SqliteSessionStore(db),
    idleMs,
    absoluteMs,
    clock: () => clock.now,
  })
  const count = () => (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n
  return { sessions, clock, count }
}

describe('SessionManager', () => {
  test('sweep deletes idle and absolutely expired sessions and keeps live ones', async () => {
    const { sessions, clock, count } = setup(1000, 5000)
    const idle = await sessions.create(1)
    clock.now = 900
    const active = await sessions.create(1)
    expect(count()).toBe(2)
    clock.now = 1500
    expect(await sessions.sweep()).toBe(1)
    expect(await sessions.load(idle.id)).toBeNull()
    // Keep `active` busy until its absolute limit.
    for (clock.now = 1500; clock.now < 5900; clock.now += 500) {
      expect(await sessions.load(active.id)).not.toBeNull()
      expect(await sessions.confirm(active)).toBe(true)
      active.record.lastSeenAt = clock.now
    }
    clock.now = 5900
    expect(await sessions.sweep()).toBe(1)
    expect(count()).toBe(0)
  })

  test('rotate deletes the previous session and issues a new id and CSRF secret', async () => {
    const { sessions, count } = setup()
    const pre = await sessions.create(1)
    const post = await sessions.rotate(pre.id, 1)
    expect(post.id).not.toBe(pre.id)
    expect(post.record.csrfSecret).not.toBe(pre.record.csrfSecret)
    expect(post.record.userId).toBe(1)
    expect(await sessions.load(pre.id)).toBeNull()
    expect(count()).toBe(1)
  })

  test('confirm of a destroyed session reports false, however recently it was seen', async () => {
    const { sessions, clock, count } = setup()
    const s = await sessions.create(1)
    expect(await sessions.confirm(s)).toBe(true)
    await sessions.destroy(s)
    // Within the touch step (a read) and after it (a conditional write): gone either way.
    expect(await sessions.confirm(s)).toBe(false)
    clock.now = 500
    expect(await sessions.confirm(s)).toBe(false)
    expect(count()).toBe(0)
  })

  test('malformed cookie values are ignored without a store lookup', async () => {
    const { sessions } = setup()
    for (const v of [undefined, '', 'short', 'x'.repeat(43) + '=', "' OR 1=1 --"]) {
      expect(await sessions.load(v)).toBeNull()
    }
  })
})
