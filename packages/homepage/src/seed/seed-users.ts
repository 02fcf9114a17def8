// `homepage seed`: replaces all accounts with N generated users, their private items, and returns
// the credentials for the accounts CSV. Demo accounts are hashed at DEMO_SCRYPT cost (see README).
import { randomInt } from 'node:crypto'
import { DEMO_SCRYPT, hashPassword } from '../auth/password.js'
import type { ScryptParams } from '../auth/password.js'
import { HomeBadOptionError } from '../errors.js'
import { openDatabase } from '../store/database.js'
import type { NewUser } from '../store/user-store.js'
import { UserStore } from '../store/user-store.js'
import { asciiFold, displayNames } from './names.js'
import { createPrng } from './prng.js'
import type { Prng } from './prng.js'

export interface SeedOptions {
  users: number
  /** SQLite file ('::memory:' is accepted but pointless outside tests). */
  db: string
  /** PRNG seed: the same seed gives the same accounts and passwords. Random when omitted. */
  seed?: number
  itemsPerUser?: number
  scrypt?: ScryptParams
  /** Hashes in flight at once (libuv's thread pool runs 4 by default). */
  concurrency?: number
}

export interface SeededAccount {
  username: string
  password: string
  displayName: string
  email: string
  userId: number
  accountId: string
  items: string[]
}

export interface SeedResult {
  accounts: SeededAccount[]
  seed: number
  elapsedMs: number
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
const ITEM_KINDS: readonly string[] = [
  'Invoice',
  'Prescription',
  'Tax return',
  'Lease agreement',
  'Payslip',
  'Medical report',
  'Bank statement',
  'Travel booking',
  'Insurance claim',
  'Parking permit',
  'Gym membership',
  'Library loan',
  'Phone bill',
  'Vet appointment',
  'Passport renewal',
  'Pension letter',
]

function planAccounts(
  count: number,
  prng: Prng,
  itemsPerUser: number
): Omit<SeededAccount, 'userId'>[] {
  const names = displayNames(count, prng)
  const width = Math.max(5, String(count).length)
  const accountIds = new Set<string>()
  return names.map((displayName, i) => {
    const n = String(i + 1).padStart(width, '0')
    const slug = asciiFold(displayName)
      .replace(/[^a-z' ]/g, '')
      .trim()
      .split(/\s+/)
      .join('.')
    let accountId: string
    do {
      accountId = `AC-${prng.string(10, '0123456789')}`
    } while (accountIds.has(accountId))
    accountIds.add(accountId)
    const items = new Set<string>()
    while (items.size < itemsPerUser) {
      items.add(`${prng.pick(ITEM_KINDS)} #${prng.string(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`)
    }
    return {
      username: `${slug.replaceAll("'", '')}.${n}`,
      password: prng.string(16, ALNUM),
      displayName,
      // Apostrophes are legal in an email's local part, and worth escaping correctly.
      email: `${slug}.${n}@example.com`,
      accountId,
      items: [...items],
    }
  })
}

async function hashAll(
  passwords: string[],
  params: ScryptParams,
  concurrency: number
): Promise<string[]> {
  const out = new Array<string>(passwords.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < passwords.length) {
      const i = next++
      out[i] = await hashPassword(passwords[i] ?? '', params)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return out
}

export async function seedUsers(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now()
  const { users } = options
  if (!Number.isInteger(users) || users < 1 || users > 200_000) {
    throw new HomeBadOptionError(`users must be an integer in 1..200000, got ${String(users)}`)
  }
  const itemsPerUser = options.itemsPerUser ?? 3
  if (!Number.isInteger(itemsPerUser) || itemsPerUser < 0 || itemsPerUser > 50) {
    throw new HomeBadOptionError(`itemsPerUser must be an integer in 0..50`)
  }
  const seed = options.seed ?? randomInt(2 ** 31)
  if (!Number.isInteger(seed) || seed < 0) {
    throw new HomeBadOptionError(`seed must be a non-negative integer, got ${String(seed)}`)
  }
  const plan = planAccounts(users, createPrng(seed), itemsPerUser)
  const hashes = await hashAll(
    plan.map((a) => a.password),
    options.scrypt ?? DEMO_SCRYPT,
    options.concurrency ?? 4
  )
  const db = openDatabase(options.db)
  try {
    const store = new UserStore(db)
    const rows: NewUser[] = plan.map((a, i) => ({
      username: a.username,
      passwordHash: hashes[i] ?? '',
      displayName: a.displayName,
      email: a.email,
      accountId: a.accountId,
      items: a.items,
    }))
    const ids = db.transaction(() => {
      store.deleteAll()
      return store.insertMany(rows)
    })()
    const accounts = plan.map((a, i) => ({ ...a, userId: ids[i] ?? 0 }))
    return { accounts, seed, elapsedMs: performance.now() - started }
  } finally {
    db.close()
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** The accounts CSV the leak-hunter reads: header `username,password,displayName,email,userId`. */
export function accountsCsv(accounts: readonly SeededAccount[]): string {
  const lines = ['username,password,displayName,email,userId']
  for (const a of accounts) {
    lines.push(
      [a.username, a.password, a.displayName, a.email, String(a.userId)].map(csvField).join(',')
    )
  }
  return lines.join('\n') + '\n'
}
