// A worker process of `leak-hunter run --workers N`: runs its slice of the VUs when the parent
// calls `hunt`, and reports through calls back to the parent (worker-protocol.ts).
import { serve } from '@crosstalk/ipc-rpc/child'
import { SliceHunt, loginEvent } from '../engine/slice-hunt.js'
import { sliceMembers } from '../engine/slice.js'
import { loadScenario } from '../scenario/load-scenario.js'
import { scenarioDigest } from './digest.js'
import { countersOf, cookieDropsOf } from './merge-parts.js'
import { TimedRegistry } from './timed-registry.js'
import type {
  HunterApi,
  WindowedFinding,
  WorkerApi,
  WorkerTask,
  WorkerUpdate,
} from './worker-protocol.js'

/** Latency, steps and cookie drops ride on every this many updates. */
const FULL_EVERY = 5

// Ctrl-C in a terminal reaches the whole process group: the parent stops the workers itself
// (through each call's AbortSignal) and gathers their figures, so a worker ignores SIGINT.
process.on('SIGINT', () => {})

const parent = serve<WorkerApi, HunterApi>(
  { hunt: (task, ctx) => hunt(task, ctx.signal) },
  { serialization: 'advanced' }
)

let current: SliceHunt | undefined
// The parent went away (it crashed or was killed): stop, and leave once the sockets are closed.
process.on('disconnect', () => {
  current?.stop()
  setTimeout(() => process.exit(0), 2000).unref()
})

async function hunt(task: WorkerTask, signal: AbortSignal): Promise<void> {
  const scenario = await loadScenario(task.input)
  if (scenarioDigest(scenario) !== task.digest) {
    // The files changed since the parent read them, or the input lost an override on the way.
    throw new Error("the worker's scenario or accounts differ from the parent's")
  }
  const { member } = task
  const registry = new TimedRegistry(scenario.load.vus, sliceMembers(scenario.load.vus, task.slice))
  let findings: WindowedFinding[] = []
  let logins: WorkerUpdate['logins'] = []
  const slice = new SliceHunt(scenario, {
    slice: task.slice,
    startedAt: task.startedAt,
    timelineOrigin: task.timelineOrigin,
    ...(task.maxFindings === undefined ? {} : { maxFindings: task.maxFindings }),
    ...(task.maxGroups === undefined ? {} : { maxGroups: task.maxGroups }),
    registry,
    onFinding: (finding) => {
      const [t0, t1] = registry.lastWindow(finding.vu)
      findings.push({ finding, t0, t1 })
    },
    onLogin: (outcome, error) => logins.push(loginEvent(outcome, error)),
  })
  current = slice
  let sent = 0
  const update = (full: boolean): WorkerUpdate => {
    const metrics = slice.syncMetrics()
    const out: WorkerUpdate = {
      counters: countersOf(metrics),
      timeline: metrics.takeTimelineChanges(),
      findings,
      logins,
      log: registry.take(),
      ...(full
        ? {
            latency: metrics.latencyPart(),
            steps: slice.steps(),
            cookiesDropped: cookieDropsOf(metrics),
          }
        : {}),
    }
    findings = []
    logins = []
    return out
  }
  const send = (): void => {
    parent.call('update', member, update(++sent % FULL_EVERY === 0)).catch(() => {})
  }
  const stop = (): void => slice.stop()
  signal.addEventListener('abort', stop, { once: true })
  const timer = setInterval(send, task.updateMs)
  try {
    const go = await parent.call('prepared', member, {
      pid: process.pid,
      ambiguities: slice.index.ambiguities,
    })
    if (go && !slice.stopped) {
      const login = await slice.login()
      send()
      const load = await parent.call('loggedIn', member, {
        loggedIn: login.vus.length,
        total: login.total,
        network: login.network,
        deadline: login.deadline,
        unfinished: login.unfinished,
      })
      if (load && !slice.stopped) {
        await slice.load()
      }
    }
  } finally {
    clearInterval(timer)
    signal.removeEventListener('abort', stop)
    await slice.close()
    current = undefined
    await parent.call('finished', member, update(true))
  }
}
