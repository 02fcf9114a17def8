// The READMEs' quick starts, run command by command as a shell user on a fresh clone
// would (through npx and the bins `npm run build` links), with the documented exit codes checked.
// Only the port and /tmp/ are changed, so the test cannot collide with anything else running.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port.js'
import { afterAll, expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const background: ChildProcess[] = []

afterAll(() => {
  for (const child of background) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM')
    }
  }
})

/** The first ```sh block after `heading`, continuation lines joined. */
function quickStart(readme: string, heading: string): string[] {
  const text = readFileSync(join(root, readme), 'utf8')
  const section = text.slice(text.indexOf(heading))
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

const env = { ...process.env, npm_config_yes: 'false' } // npx must never fetch from a registry

function sh(command: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

/** `cmd &`: started in its own process group; resolves once it prints its listening line. */
function startInBackground(command: string): Promise<ChildProcess> {
  const child = spawn('bash', ['-c', `exec ${command}`], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  background.push(child)
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`not listening after 30 s: ${output}`)), 30_000)
    const onData = (d: Buffer): void => {
      output += d.toString()
      if (/listening on http:\/\//.test(output)) {
        clearTimeout(timer)
        resolve(child)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${output}`)))
  })
}

/**
 * Runs a README's quick start command by command: `cmd &` in the background until it listens,
 * `kill %1` stops the newest one, `echo $?   # N` checks the previous exit code, and every other
 * command except a `leak-hunter run` (whose exit code the README states) must exit 0.
 */
async function runQuickStart(readme: string, work: string): Promise<string[]> {
  const port = String(await freePort())
  const commands = quickStart(readme, '## Quick start')
  // `npm ci && npm run build` is what `npm test` ran before this test: the bins are linked.
  expect(commands[0]!.replace(/\s+#.*$/, '')).toBe('npm ci && npm run build')
  expect(existsSync(join(root, 'node_modules/.bin/leak-hunter'))).toBe(true)
  expect(existsSync(join(root, 'node_modules/.bin/homepage'))).toBe(true)
  let last: { code: number | null; output: string } | undefined
  const ran: string[] = []
  for (const documented of commands.slice(1)) {
    const command = documented
      .replace(/\s+#.*$/, '')
      .replaceAll('/tmp/', `${work}/`)
      .replaceAll('3000', port)
    const expected = /^echo \$\?\s+#\s*(\d+)/.exec(documented)
    if (expected !== null) {
      expect(last?.code, `${ran.at(-1)}\n${last?.output}`).toBe(Number(expected[1]))
      continue
    }
    ran.push(command)
    if (command === 'kill %1') {
      const server = background.at(-1)!
      const exited = new Promise((resolve) => server.once('exit', resolve))
      process.kill(-server.pid!, 'SIGTERM')
      await exited
      continue
    }
    if (command.endsWith('&')) {
      await startInBackground(command.slice(0, -1).trim())
      continue
    }
    last = await sh(command)
    expect(last.output).not.toContain('command not found')
    if (!documented.includes('leak-hunter run')) {
      expect(last.code, `${command}\n${last.output}`).toBe(0)
    }
  }
  return ran
}

test('the leak-hunter README quick start runs as written and exits as documented', async () => {
  const work = await mkdtemp(join(tmpdir(), 'crosstalk-quick-'))
  try {
    const ran = await runQuickStart('packages/leak-hunter/README.md', work)
    expect(ran.filter((c) => c.includes('leak-hunter run'))).toHaveLength(2)
    expect(readFileSync(join(work, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}, 120_000)

test('the homepage README quick start seeds, serves both builds and prints its help', async () => {
  const work = await mkdtemp(join(tmpdir(), 'crosstalk-quick-'))
  try {
    const ran = await runQuickStart('packages/homepage/README.md', work)
    expect(ran.filter((c) => c.endsWith('&'))).toHaveLength(2)
    expect(ran.filter((c) => c === 'kill %1')).toHaveLength(2)
    const accounts = readFileSync(join(work, 'accounts.csv'), 'utf8').trim().split('\n')
    expect(accounts).toHaveLength(201) // the header and the 200 seeded accounts
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}, 120_000)
