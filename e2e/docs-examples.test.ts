// Every leak-hunter example in the docs runs clean against the correct homepage: the scenarios
// (whole ones, and fragments such as an allowlist merged into the homepage example), the example
// scenario file and the command lines, each run by the built CLI against a real homepage process
// on 127.0.0.1. A block preceded by `<!-- example: not for the homepage ... -->` is for another
// kind of app and is tested where that comment says.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { HuntReport } from '@crosstalk/leak-hunter'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { seedAccounts, startHomepage, stopAllHomepages } from '../demo/src/homepage-process.js'
import type { HomepageServer } from '../demo/src/homepage-process.js'

const require = createRequire(import.meta.url)
const hunter = dirname(require.resolve('@crosstalk/leak-hunter/package.json'))
const hunterBin = join(hunter, 'dist/cli/main.js')
const root = fileURLToPath(new URL('..', import.meta.url))
const DOCS = [
  'README.md',
  'packages/leak-hunter/README.md',
  'packages/leak-hunter/docs/detection.md',
]
const EXAMPLE_FILE = join(hunter, 'examples/homepage/scenario.yaml')
const SKIP = '<!-- example: not for the homepage'

interface Example {
  where: string
  kind: 'yaml' | 'sh'
  text: string
}

/** The fenced yaml and sh blocks of `file`, minus those marked as not for the homepage. */
async function examplesIn(file: string): Promise<Example[]> {
  const lines = (await readFile(join(root, file), 'utf8')).split('\n')
  const out: Example[] = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(yaml|sh)\s*$/.exec(lines[i] ?? '')
    if (fence === null) {
      continue
    }
    let before = i - 1
    while (before >= 0 && (lines[before] ?? '').trim() === '') {
      before--
    }
    const end = lines.indexOf('```', i + 1)
    const text = lines.slice(i + 1, end).join('\n')
    if (!(lines[before] ?? '').startsWith(SKIP)) {
      out.push({ where: `${file}:${i + 1}`, kind: fence[1] as 'yaml' | 'sh', text })
    }
    i = end
  }
  return out
}

/** `leak-hunter run ...` command lines of a shell block (continuations joined, comments cut). */
function commandsIn(text: string): string[][] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^(npx )?leak-hunter run /.test(line))
    .map((line) => line.replace(/^npx /, '').split(/\s+/).slice(2))
}

let work: string
let accounts: string
let server: HomepageServer
let base: Record<string, unknown>
let examples: Example[]

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crosstalk-docs-'))
  const db = join(work, 'homepage.db')
  accounts = join(work, 'accounts.csv')
  await seedAccounts({ users: 40, db, accounts, seed: 3 })
  server = await startHomepage(['--db', db, '--renderers', '2', '--production'])
  base = parseYaml(await readFile(EXAMPLE_FILE, 'utf8')) as Record<string, unknown>
  examples = (await Promise.all(DOCS.map(examplesIn))).flat()
}, 60_000)

afterAll(async () => {
  await stopAllHomepages()
  await rm(work, { recursive: true, force: true })
})

/** Runs the CLI with `args` against the homepage; resolves with its exit code and report. */
async function hunt(args: string[]): Promise<{ code: number; report: HuntReport; stderr: string }> {
  const json = join(work, `report-${Math.random().toString(36).slice(2)}.json`)
  const argv = [hunterBin, 'run', ...args, '--json', json, '--quiet']
  const result = await promisify(execFile)(process.execPath, argv, { cwd: work }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (err: { code?: unknown; stderr?: string }) => ({
      code: typeof err.code === 'number' ? err.code : -1,
      stderr: err.stderr ?? '',
    })
  )
  const report = JSON.parse(await readFile(json, 'utf8').catch(() => 'null')) as HuntReport
  return { ...result, report }
}

/** A scenario file for `scenario` aimed at the test homepage, small enough for a test. */
async function scenarioFile(scenario: Record<string, unknown>, name: string): Promise<string> {
  const file = join(work, `${name}.json`)
  const accountsConfig = { ...(scenario.accounts as Record<string, unknown>), file: accounts }
  await writeFile(
    file,
    JSON.stringify({ ...scenario, target: server.url, accounts: accountsConfig, thresholds: {} })
  )
  return file
}

function expectClean(r: { code: number; report: HuntReport; stderr: string }): void {
  expect(r.stderr).toBe('')
  expect(r.report.summary.loginFailures).toBe(0)
  expect(r.report.summary.responsesChecked).toBeGreaterThan(8 * 3)
  expect(r.report.findings).toEqual([])
  expect(r.report.verdict).toBe('clean')
  expect(r.code).toBe(0)
}

const SMALL = ['--vus', '8', '--duration', '3s']

describe('every example in the docs runs clean against the correct homepage', () => {
  test('the docs hold the examples this test expects', () => {
    const yaml = examples.filter((e) => e.kind === 'yaml')
    const commands = examples.flatMap((e) => (e.kind === 'sh' ? commandsIn(e.text) : []))
    // The README scenarios and fragments, and the command lines of both READMEs.
    expect(yaml.length).toBeGreaterThanOrEqual(4)
    expect(commands.length).toBeGreaterThanOrEqual(3)
  })

  test('examples/homepage/scenario.yaml', async () => {
    expectClean(await hunt([await scenarioFile(base, 'example-file'), ...SMALL]))
  }, 60_000)

  test('each yaml block: a whole scenario, or a fragment merged into the homepage example', async () => {
    for (const [i, e] of examples.filter((x) => x.kind === 'yaml').entries()) {
      const parsed = parseYaml(e.text) as Record<string, unknown>
      const scenario = 'login' in parsed ? parsed : { ...base, ...parsed }
      const r = await hunt([await scenarioFile(scenario, `block-${i}`), ...SMALL])
      expect({ where: e.where, verdict: r.report?.verdict, stderr: r.stderr }).toEqual({
        where: e.where,
        verdict: 'clean',
        stderr: '',
      })
      expectClean(r)
    }
  }, 240_000)

  test('each `leak-hunter run` command line', async () => {
    // The root README's command reads its scenario.yaml: the first yaml block of that file.
    const rootScenario = examples.find((e) => e.kind === 'yaml' && e.where.startsWith('README.md'))
    await writeFile(join(work, 'scenario.yaml'), rootScenario?.text ?? '')
    for (const e of examples.filter((x) => x.kind === 'sh')) {
      for (const args of commandsIn(e.text)) {
        const out: string[] = []
        for (let k = 0; k < args.length; k++) {
          const arg = args[k] as string
          if (['--target', '--accounts', '--vus', '--duration', '--json', '--html'].includes(arg)) {
            k++ // replaced below
          } else if (arg.endsWith('.yaml')) {
            // Paths from the repository root (the quick starts) or from the package's folder.
            const from = arg.startsWith('packages/') ? root : hunter
            out.push(arg === 'scenario.yaml' ? join(work, arg) : join(from, arg))
          } else {
            out.push(arg)
          }
        }
        const r = await hunt([...out, '--target', server.url, '--accounts', accounts, ...SMALL])
        expect({ where: e.where, args, stderr: r.stderr }).toEqual({
          where: e.where,
          args,
          stderr: '',
        })
        expectClean(r)
      }
    }
  }, 240_000)
})
