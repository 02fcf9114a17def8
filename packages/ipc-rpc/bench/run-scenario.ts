import { fork } from 'node:child_process'
import { join } from 'node:path'
import type { Scenario } from './scenarios.js'
import type { RunnerResult } from './scenario-runner.js'

// Without this, fork() would pass the orchestrator's `--import tsx` on to the measured process.
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' }
  if (env.NODE_OPTIONS?.includes('tsx')) {
    delete env.NODE_OPTIONS
  }
  return env
}

// Forks one fresh measuring process and waits for its single result message, bounded in time.
export function runScenario(
  compiledDir: string,
  scenario: Scenario,
  warmupMs: number,
  windowMs: number,
  profileDir?: string
): Promise<RunnerResult> {
  const args = [scenario.target, String(scenario.depth), String(warmupMs), String(windowMs)]
  const env = cleanEnv()
  const execArgv: string[] = []
  if (profileDir !== undefined) {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`)
    env.CROSSTALK_BENCH_CHILD_ARGV = execArgv.join(' ')
  }
  const runner = fork(join(compiledDir, 'scenario-runner.js'), args, {
    execArgv,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise<RunnerResult>((resolve) => {
    let result: RunnerResult | undefined
    const deadline = setTimeout(
      () => {
        result ??= { ok: false, error: 'timed out', execArgv: [] }
        runner.kill('SIGKILL')
      },
      warmupMs + windowMs + 30_000
    )
    runner.on('message', (message: RunnerResult) => {
      result ??= message
    })
    runner.on('exit', (code, signal) => {
      clearTimeout(deadline)
      resolve(result ?? { ok: false, error: `runner exited (${code ?? signal})`, execArgv: [] })
    })
  })
}
