// The bin as a shell user meets it: a reader that goes away (`| head -3`), misspelt flags, bad
// values blamed on the flag, and a --help that lists every flag and exit code.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { FLAGS } from '../src/cli/flags.js'
import { EXIT_CODE_HELP } from '../src/cli/help-text.js'
import { makeUsers, startFixtureServer } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { BIN, runBin } from './fixtures/run-bin.js'
import { scenarioFor, writeScenarioDir } from './fixtures/scenarios.js'

const users = makeUsers(8)
let good: FixtureServer
let leaky: FixtureServer

beforeAll(async () => {
  ;[good, leaky] = await Promise.all([
    startFixtureServer({ users }),
    startFixtureServer({ users, leaky: true }),
  ])
})
afterAll(async () => {
  await Promise.all([good.close(), leaky.close()])
})

/** Run the bin with both output pipes closed by the reader before it writes a line. */
function runWithReaderGone(
  args: string[],
  cwd: string
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.destroy()
    child.stderr.destroy()
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
}

/** `leak-hunter … | head -3` in a real shell; the bin's own exit status and stderr. */
function runPipedToHead(
  args: string[],
  cwd: string
): Promise<{ code: number; head: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const quoted = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')
    const child = spawn(
      'bash',
      ['-c', `${quoted} 2>"$ERR" | head -3; echo "exit=\${PIPESTATUS[0]}"`],
      {
        cwd,
        env: { ...process.env, ERR: `${cwd}/stderr.txt` },
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.once('error', reject)
    child.once('close', () => {
      const m = /exit=(\d+)\n$/.exec(out)
      resolve({
        code: m === null ? -1 : Number(m[1]),
        head: out.replace(/exit=\d+\n$/, ''),
        stderr: readFileSync(`${cwd}/stderr.txt`, 'utf8'),
      })
    })
  })
}

describe.concurrent('CLI manners', { timeout: 60_000 }, () => {
  test('regression: a closed stdout and stderr (EPIPE) no longer crash a clean run: exit 0', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', good.url, { vus: 2, duration: '1s' }))
    const r = await runWithReaderGone(['run', 'scenario.json'], dir)
    expect(r).toEqual({ code: 0, signal: null })
  })

  test('regression: a closed stdout on a leaky run keeps the verdict: exit 1', async () => {
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', leaky.url, { vus: 8, duration: '1500ms' })
    )
    const r = await runWithReaderGone(['run', 'scenario.json'], dir)
    expect(r).toEqual({ code: 1, signal: null })
  })

  test('`run … | head -3`: three lines, no stack trace, the verdict exit code', async () => {
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', leaky.url, { vus: 8, duration: '1500ms' })
    )
    const r = await runPipedToHead(['run', 'scenario.json', '--quiet'], dir)
    expect(r.head).toMatch(/^\nLEAK FOUND {2}\(exit 1\)\n[^\n]*\n$/)
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /)
    expect(r.code).toBe(1)
  })

  test('`--help | head -3` exits 0', async () => {
    const dir = writeScenarioDir(users)
    const r = await runPipedToHead(['--help'], dir)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  test.each([
    [['run', 's.yaml', '--duraton', '2'], 'unknown flag --duraton (did you mean --duration?)'],
    [['run', 's.yaml', '-v'], 'unknown flag -v (did you mean --vus or --version?)'],
    [['run', 's.yaml', '--jsn', 'r.json'], 'unknown flag --jsn (did you mean --json?)'],
    [['run', 's.yaml', '--frobnicate'], 'unknown flag --frobnicate (see --help)'],
    [
      ['run', 's.yaml', '--duration', '2x'],
      '--duration: expected a duration such as 30s, 500ms, 2m or 1m30s, got "2x"',
    ],
    [['run', 's.yaml', '--ramp-up', 'soon'], '--ramp-up: expected a duration'],
    [['run', 's.yaml', '--vus'], '--vus needs a value'],
    [['run', 's.yaml', '--quiet=yes'], '--quiet takes no value'],
    [['run', 's.yaml', '--har', 'x.har'], '--har does not apply to "run"'],
    [['init', '--vus', '3'], '--vus does not apply to "init"'],
    [['rnu', 's.yaml'], 'unknown command "rnu" (did you mean "run"?)'],
  ])('%j exits 2: %s', async (args, message) => {
    const r = await runBin(args)
    expect(r.stderr).toContain(`leak-hunter: HUNT_ERR_ARGS_INVALID: ${message}`)
    expect(r.stderr).not.toContain('load.duration')
    expect(r.code).toBe(2)
  })

  test('--help lists every flag, every exit code (130 included) and the init command', async () => {
    const r = await runBin(['--help'])
    expect(r.code).toBe(0)
    for (const f of FLAGS) {
      expect(r.stdout).toContain(`--${f.name}`)
      if (f.short !== undefined) {
        expect(r.stdout).toContain(`-${f.short}, --${f.name}`)
      }
    }
    for (const [code] of EXIT_CODE_HELP) {
      expect(r.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'))
    }
    expect(EXIT_CODE_HELP.map(([c]) => c)).toEqual([0, 1, 2, 3, 4, 5, 130])
    expect(r.stdout).toContain('leak-hunter init [--target URL | --har FILE]')
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100)
  })

  test('the README documents every flag and every exit code of --help', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
    const cli = readme.slice(readme.indexOf('## CLI'), readme.indexOf('## Outputs'))
    for (const f of FLAGS) {
      expect(cli).toContain(`\`--${f.name}`)
    }
    for (const [code] of EXIT_CODE_HELP) {
      expect(cli).toMatch(new RegExp(`^\\| ${code} +\\|`, 'm'))
    }
  })
})
