import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { DEMO_SCRYPT, verifyPassword } from '../auth/password.js'
import { openDatabase } from '../store/database.js'
import { UserStore } from '../store/user-store.js'
import { accountsCsv, seedUsers } from './seed-users.js'

const dir = mkdtempSync(join(tmpdir(), 'homepage-seed-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('seedUsers', () => {
  test('writes users with private items and demo-cost hashes that verify', async () => {
    const db = join(dir, 'a.db')
    const { accounts } = await seedUsers({ users: 30, db, seed: 5, itemsPerUser: 3 })
    expect(accounts).toHaveLength(30)
    expect(new Set(accounts.map((a) => a.email)).size).toBe(30)
    expect(new Set(accounts.map((a) => a.username)).size).toBe(30)
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(30)
    const conn = openDatabase(db)
    try {
      const users = new UserStore(conn)
      for (const a of accounts.slice(0, 5)) {
        const row = users.byUsername(a.username)!
        expect(row).toMatchObject({ id: a.userId, displayName: a.displayName, email: a.email })
        expect(row.passwordHash.startsWith(`scrypt$${DEMO_SCRYPT.N}$`)).toBe(true)
        expect(await verifyPassword(a.password, row.passwordHash)).toBe(true)
        expect(users.items(a.userId).map((i) => i.title)).toEqual(a.items)
      }
    } finally {
      conn.close()
    }
  })

  test('is deterministic for a seed and replaces earlier accounts', async () => {
    const db = join(dir, 'b.db')
    const first = await seedUsers({ users: 20, db, seed: 11 })
    const again = await seedUsers({ users: 20, db, seed: 11 })
    const strip = (r: typeof first) => r.accounts
    expect(strip(again)).toEqual(strip(first))
    const conn = openDatabase(db)
    const n = (conn.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
    conn.close()
    expect(n).toBe(20)
  })

  test('CSV has the exact header and quotes fields only when needed', () => {
    const csv = accountsCsv([
      {
        username: 'a',
        password: 'p',
        displayName: 'Lee, "Ann"',
        email: "o'x@example.com",
        userId: 3,
        accountId: 'AC-1',
        items: [],
      },
    ])
    expect(csv).toBe(
      'username,password,displayName,email,userId\na,p,"Lee, ""Ann""",o\'x@example.com,3\n'
    )
  })

  test('bad input is HOME_ERR_BAD_OPTION', async () => {
    for (const users of [0, -1, 1.5, 300_000]) {
      await expect(seedUsers({ users, db: ':memory:' })).rejects.toMatchObject({
        code: 'HOME_ERR_BAD_OPTION',
      })
    }
  })
})
