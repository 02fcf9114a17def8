// The `homepage` bin as a real child process: seed 10,000 users under a minute; serve prints one
// line, serves, and exits cleanly on SIGTERM/SIGINT leaving no renderer children behind.
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { SeededAccount } from '../src/seed/seed-users.js'
import { seedUsers } from '../src/seed/seed-users.js'

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'homepage-cli-'))
const running = new Set<ChildProcess>()

afterEach(() => {
  for (const child of running) {
    child.kill('SIGKILL')
  }
  running.clear()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test' },
  })
  running.add(child)
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (err += c.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
  )
  return { child, stdout: () => out, stderr: () => err, exit }
}

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0)
  } catch {
    return [] // ps exits 1 when there are none
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const db = join(dir, 'home.db')
const csv = join(dir, 'accounts.csv')

describe('homepage seed', () => {
  test('seeds 10,000 users in under 60 s and writes the accounts CSV', async () => {
    const started = Date.now()
    const r = run(['seed', '--users', '10000', '--db', db, '--accounts', csv, '--seed', '3'])
    const { code } = await r.exit
    const elapsed = Date.now() - started
    expect(code, r.stderr()).toBe(0)
    expect(elapsed).toBeLessThan(60_000)
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('username,password,displayName,email,userId')
    expect(lines).toHaveLength(10_001)
    expect(lines.slice(1, 4).map((l) => l.split(',')[2])).toEqual([
      'Mary Smith',
      'Ann Lee',
      'Ann Leeds',
    ])
    expect(lines.some((l) => l.includes("O'Brien"))).toBe(true)
    expect(lines.at(-1)).toMatch(/,10000$/)
    expect(r.stdout()).toMatch(/^seeded 10000 users into .* \(seed 3\)/)
  }, 90_000)

  test('usage errors exit 2 and print usage to stderr', async () => {
    const r = run(['seed', '--db', db])
    const { code } = await r.exit
    expect(code).toBe(2)
    expect(r.stderr()).toMatch(/--users N is required/)
    expect(r.stderr()).toMatch(/usage:/)
    expect(r.stdout()).toBe('')
  }, 30_000)
})

describe('homepage serve', () => {
  const serveDb = join(dir, 'serve.db')
  let accounts: SeededAccount[] = []
  beforeAll(async () => {
    accounts = (await seedUsers({ users: 5, db: serveDb, seed: 1 })).accounts
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`prints exactly one line, serves, and on ${signal} exits 0 leaving no children`, async () => {
      const r = run(['serve', '--port', '0', '--db', serveDb, '--renderers', '2'])
      await waitFor(() => r.stdout().includes('\n') || r.child.exitCode !== null, 'listening line')
      expect(r.stdout()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/)
      const base = r.stdout().trim().slice('listening on '.length)
      const account = accounts[1]!
      // Full flow over a real socket: form, login, the home page rendered by a child.
      const form = await fetch(`${base}/login`)
      expect(form.status).toBe(200)
      const pre = /presid=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!
      const login = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `presid=${pre}` },
        body: new URLSearchParams({
          username: account.username,
          password: account.password,
          _csrf: csrf,
        }),
      })
      expect(login.status).toBe(303)
      const session = /(?:^|, )sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!
      const home = await fetch(`${base}/`, { headers: { cookie: `sid=${session}` } })
      expect(home.status).toBe(200)
      expect(await home.text()).toContain(account.displayName)
      const me = await fetch(`${base}/api/me`, { headers: { cookie: `sid=${session}` } })
      expect(((await me.json()) as { userId: number }).userId).toBe(account.userId)
      const kids = childrenOf(r.child.pid!)
      expect(kids.length).toBeGreaterThanOrEqual(2)
      r.child.kill(signal)
      const { code } = await r.exit
      expect(code, r.stderr()).toBe(0)
      expect(r.stdout().split('\n').filter(Boolean)).toHaveLength(1)
      await waitFor(() => kids.every((k) => !alive(k)), 'renderer children to exit', 5000)
    }, 60_000)
  }

  test('a bad flag exits 2 without printing the listening line', async () => {
    const r = run(['serve', '--ipc', 'telepathy', '--db', db])
    const { code } = await r.exit
    expect(code).toBe(2)
    expect(r.stdout()).toBe('')
    expect(r.stderr()).toMatch(/--ipc must be one of/)
  }, 30_000)
})

describe('bug: serve --help printed "Unknown option"', () => {
  for (const command of ['serve', 'seed']) {
    test(`${command} --help prints the usage to stdout and exits 0`, async () => {
      const r = run([command, '--help'])
      const { code } = await r.exit
      expect(code).toBe(0)
      expect(r.stderr()).toBe('')
      expect(r.stdout()).toMatch(new RegExp(`^usage:\\n  homepage ${command} `))
      expect(r.stdout()).not.toMatch(/unknown option/i)
    }, 30_000)
  }
})

describe('bug: the --db file was created world-readable', () => {
  const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8)

  test('homepage seed creates the database 0600', async () => {
    const fresh = join(dir, 'fresh-seed.db')
    const r = run(['seed', '--users', '3', '--db', fresh, '--accounts', join(dir, 'f.csv')])
    expect((await r.exit).code, r.stderr()).toBe(0)
    expect(mode(fresh)).toBe('600')
  }, 30_000)

  test('homepage serve creates the database, its WAL and shared memory 0600', async () => {
    const fresh = join(dir, 'fresh-serve.db')
    const r = run(['serve', '--port', '0', '--db', fresh, '--renderers', '1'])
    await waitFor(() => r.stdout().includes('\n') || r.child.exitCode !== null, 'listening line')
    const base = r.stdout().trim().slice('listening on '.length)
    expect((await fetch(`${base}/login`)).status).toBe(200)
    for (const path of [fresh, `${fresh}-wal`, `${fresh}-shm`]) {
      expect(existsSync(path), path).toBe(true)
      expect(mode(path), path).toBe('600')
    }
    r.child.kill('SIGTERM')
    expect((await r.exit).code, r.stderr()).toBe(0)
  }, 60_000)
})
