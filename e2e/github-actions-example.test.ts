// The documented GitHub Actions workflow (packages/leak-hunter/examples/github-actions/), run as
// a runner would run its shell steps: start the homepage, hunt it, then the verdict step. The
// `uses:` steps are GitHub's own; their wiring (always(), the paths) is checked, not run. Only the
// port and the runner's folders differ; the load is shortened.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port.js'
import { afterAll, describe, expect, test } from 'vitest'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const file = join(root, 'packages/leak-hunter/examples/github-actions/leak-hunt.yml')

interface Step {
  name?: string
  id?: string
  if?: string
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, string>
  'continue-on-error'?: boolean
}
interface Workflow {
  permissions: Record<string, string>
  jobs: { hunt: { env: Record<string, string>; steps: Step[] } }
}

const workflow = parse(readFileSync(file, 'utf8')) as Workflow
const job = workflow.jobs.hunt
const step = (name: string): Step => job.steps.find((s) => s.name === name)!
const groups: number[] = []
const temp: string[] = []

afterAll(() => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  temp.forEach((dir) => rmSync(dir, { recursive: true, force: true }))
})

/** A `run:` script under bash -eo pipefail, as the runner runs it; its process group is ended afterwards. */
function runStep(
  script: string,
  env: Record<string, string>
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: root,
      env: { ...process.env, npm_config_yes: 'false', ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    groups.push(child.pid!)
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

/** Starts the target as the workflow does (the server stays up in the step's process group). */
async function huntWith(ipc: 'correlated' | 'naive'): Promise<{ code: string; reports: string }> {
  const runner = mkdtempSync(join(tmpdir(), 'gha-runner-'))
  temp.push(runner)
  const port = String(await freePort())
  const env = {
    ...job.env,
    HUNT_TARGET: job.env.HUNT_TARGET!.replace('3000', port),
    HUNT_API_KEY: 'example-key-not-secret',
    REPORTS: join(runner, 'reports'),
    RUNNER_TEMP: runner,
    GITHUB_OUTPUT: join(runner, 'output'),
  }
  const start = step('Start the target').run!.replace('--port 3000', `--port ${port} --ipc ${ipc}`)
  const started = await runStep(start, env)
  expect(started.code, started.output).toBe(0)
  const hunt = step('Hunt').run!.replace('--duration 20s', '--duration 4s')
  const ran = await runStep(hunt, env)
  expect(ran.code, ran.output).toBe(0)
  const code = /^exit-code=(\d+)$/m.exec(readFileSync(env.GITHUB_OUTPUT, 'utf8'))![1]!
  return { code, reports: env.REPORTS }
}

const verdict = (code: string): Promise<{ code: number | null; output: string }> =>
  runStep(step('Verdict').run!, { CODE: code })

describe('the GitHub Actions example', () => {
  test('keeps the reports and the verdict even when the hunt fails; SARIF may upload', () => {
    expect(step('Hunt').id).toBe('hunt')
    expect(step('Verdict')).toMatchObject({
      if: 'always()',
      env: { CODE: '${{ steps.hunt.outputs.exit-code }}' },
    })
    expect(step('Keep the reports')).toMatchObject({
      if: 'always()',
      uses: 'actions/upload-artifact@v4',
      with: { path: `${job.env.REPORTS}/` },
    })
    const sarif = step('Publish SARIF (code scanning)')
    expect(sarif.uses).toBe('github/codeql-action/upload-sarif@v3')
    expect(sarif.with?.sarif_file).toBe(`${job.env.REPORTS}/leak-hunt.sarif`)
    expect(workflow.permissions['security-events']).toBe('write')
    for (const flag of [
      '--html "$REPORTS/report.html"',
      '--junit',
      '--sarif "$REPORTS/leak-hunt.sarif"',
    ]) {
      expect(step('Hunt').run).toContain(flag)
    }
  })

  test('the verdict step passes on 0 and fails on every other exit code', async () => {
    const codes = await Promise.all(['0', '1', '2', '3', '4', '5', '130', ''].map(verdict))
    expect(codes.map((c) => c.code)).toEqual([0, 1, 2, 3, 4, 5, 1, 1])
    expect(codes[1]!.output).toContain('::error::leak found')
  })

  test('against the fixed homepage the hunt is clean and the job passes', async () => {
    const { code, reports } = await huntWith('correlated')
    expect(code).toBe('0')
    expect((await verdict(code)).code).toBe(0)
    for (const out of ['report.html', 'report.json', 'junit.xml', 'leak-hunt.sarif']) {
      expect(readFileSync(join(reports, out), 'utf8').length).toBeGreaterThan(100)
    }
    const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8')) as {
      config: { target: string; pages: Array<{ headers: Record<string, string> }> }
    }
    // The scenario read the target and the key from the environment; the report shows neither value.
    expect(report.config.target).toBe('{{env.HUNT_TARGET}}')
    expect(report.config.pages[0]!.headers['x-api-key']).toBe('{{env.HUNT_API_KEY}}')
    for (const out of ['report.html', 'report.json', 'junit.xml', 'leak-hunt.sarif']) {
      expect(readFileSync(join(reports, out), 'utf8')).not.toContain('example-key-not-secret')
    }
  }, 120_000)

  test('against the original bug the hunt exits 1 and the job fails', async () => {
    const { code, reports } = await huntWith('naive')
    expect(code).toBe('1')
    const failed = await verdict(code)
    expect(failed.code).toBe(1)
    expect(readFileSync(join(reports, 'junit.xml'), 'utf8')).toContain('<failure type="leak"')
  }, 120_000)
})
