// Runs the built `homepage` CLI as a child process: seed accounts, serve until stopped.
import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'

const require = createRequire(import.meta.url)
const homepageBin = join(
  dirname(require.resolve('@crosstalk/homepage/package.json')),
  'dist/cli/main.js'
)
const START_TIMEOUT_MS = 30_000
const STOP_GRACE_MS = 10_000

export interface HomepageServer {
  url: string
  pid: number
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>
  /** The last few KB the server wrote to stderr (after stop(): its shutdown lines too). */
  stderr(): string
}

/** Every server this process started and has not stopped, so Ctrl-C can stop them all. */
const running = new Set<HomepageServer>()

export async function seedAccounts(options: {
  users: number
  db: string
  accounts: string
  seed: number
}): Promise<void> {
  await promisify(execFile)(process.execPath, [
    homepageBin,
    'seed',
    '--users',
    String(options.users),
    '--db',
    options.db,
    '--accounts',
    options.accounts,
    '--seed',
    String(options.seed),
  ])
}

/** Starts `homepage serve --port 0 ...args` and resolves with its URL once it accepts connections. */
export async function startHomepage(args: readonly string[]): Promise<HomepageServer> {
  const child = spawn(process.execPath, [homepageBin, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`homepage serve ${args.join(' ')} did not start within ${START_TIMEOUT_MS} ms`)
      )
    }, START_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout })
    lines.on('line', (line) => {
      const m = /^listening on (http:\/\/\S+)$/.exec(line)
      if (m?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(
        new Error(
          `homepage serve ${args.join(' ')} exited (${code ?? signal}) before listening:\n${stderr}`
        )
      )
    })
  })
  const server: HomepageServer = {
    url,
    pid: child.pid ?? -1,
    stop: () => stopChild(child, exited).finally(() => running.delete(server)),
    stderr: () => stderr,
  }
  running.add(server)
  return server
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return
  }
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(timer)
}

export async function stopAllHomepages(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()))
}
