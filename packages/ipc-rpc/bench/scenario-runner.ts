import { measureLoad } from './measure-load.js'
import { makeRequest } from './workload.js'
import { targetLoaders } from './scenarios.js'
import type { TargetName } from './scenarios.js'

// One measurement in a fresh process: argv = target depth warmupMs windowMs. The result goes back
// to the orchestrator over this process's own IPC channel (not the one being measured).
export interface RunnerResult {
  ok: boolean
  error?: string
  reqPerSec?: number
  completed?: number
  p50Us?: number
  p99Us?: number
  cores?: number
  cpuUsPerCall?: number
  execArgv: string[]
}

async function main(): Promise<RunnerResult> {
  const [name, depthText, warmupText, windowText] = process.argv.slice(2)
  const load = targetLoaders[name as TargetName]
  if (load === undefined) {
    throw new Error(`unknown target ${String(name)}`)
  }
  const depth = Number(depthText)
  const start = await load()
  const target = await start(depth)
  try {
    // Lazy pools (workerpool, tinypool) start their worker on the first call: not part of the window.
    await target.call(makeRequest(0))
    const result = await measureLoad(target, {
      depth,
      warmupMs: Number(warmupText),
      windowMs: Number(windowText),
    })
    return { ok: true, ...result, execArgv: process.execArgv }
  } finally {
    await target.close()
  }
}

let reported = false
const report = (result: RunnerResult): void => {
  if (!reported) {
    reported = true
    process.send!(result, () => process.exit(0))
  }
}

// The loop emptied while main() still waited: some promise (a call, a close) can never settle.
process.once('beforeExit', () => {
  report({
    ok: false,
    error: 'event loop emptied with a promise pending',
    execArgv: process.execArgv,
  })
})

main().then(report, (err: unknown) => {
  const error = err instanceof Error ? (err.stack ?? err.message) : String(err)
  report({ ok: false, error, execArgv: process.execArgv })
})
