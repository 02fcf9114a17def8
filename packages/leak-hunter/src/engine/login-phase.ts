// The login phase: every VU of the slice logs in (at most LOGIN_CONCURRENCY at once) until all are done or
// load.loginTimeout passes; then the requests still in flight are cut off.
import type { EngineContext } from './engine-context.js'
import type { PhaseClock } from './phase-clock.js'
import { PhaseEndError } from './request-deadlines.js'
import { mapLimit } from './run-load.js'
import { sliceMembers } from './slice.js'
import { createRandom, shuffledIndexes } from './seeded-random.js'
import { VirtualUser } from './virtual-user.js'

const LOGIN_CONCURRENCY = 256

/** Assign accounts to VUs: a seeded shuffle, each account to at most one VU. */
export function assignAccounts(accounts: number, vus: number, seed: string): number[] {
  return shuffledIndexes(accounts, createRandom(seed, 'accounts')).slice(0, vus)
}

/** How a slice's login phase went: the VUs ready for the load, and what ended the phase. */
export interface LoginPhaseResult {
  vus: VirtualUser[]
  /** VUs the slice tried to log in. */
  total: number
  /** Every VU that tried got no response at all. */
  network: boolean
  /** load.loginTimeout ended the phase before every VU was done. */
  deadline: boolean
  /** VUs not done logging in when the phase ended. */
  unfinished: number
}

/** Logs every VU of the slice in; VUs not logged in when the phase ends take no part in the load. */
export async function loginAll(
  ctx: EngineContext,
  loginStopper: AbortController
): Promise<LoginPhaseResult> {
  const { scenario, metrics } = ctx
  const { load } = scenario
  const assignment = assignAccounts(scenario.accounts.length, load.vus, load.seed)
  // Global VU ids: a slice logs in only its own VUs, with the accounts the whole run gives them.
  const vus = sliceMembers(load.vus, ctx.slice).map(
    (vu) => new VirtualUser(ctx, vu, scenario.accounts[assignment[vu]!]!)
  )
  const timer = setTimeout(() => {
    loginStopper.abort()
    ctx.connections.deadlines.expireAll(new PhaseEndError('the login phase ended'))
  }, load.loginTimeoutMs)
  let results
  try {
    results = await mapLimit(vus, LOGIN_CONCURRENCY, (vu) => vu.login())
  } finally {
    clearTimeout(timer)
  }
  const ready = vus.filter((_, i) => results[i]!.ok)
  metrics.loggedIn = ready.length
  // Unreachable only when every VU that tried got no response at all.
  const tried = results.filter((r) => r.cutOff !== true)
  return {
    vus: ready,
    total: vus.length,
    network: tried.length > 0 && tried.every((r) => r.network),
    deadline: loginStopper.signal.aborted,
    unfinished: results.filter((r) => !r.ok && r.cutOff === true).length,
  }
}

/** Ends the login phase on `clock` the way `result` says it went. */
export function endLoginPhase(
  clock: PhaseClock,
  result: Pick<LoginPhaseResult, 'deadline' | 'unfinished' | 'total'> & { loggedIn: number },
  interrupted: boolean,
  loginTimeoutMs: number
): void {
  if (interrupted) {
    clock.end('interrupted')
  } else if (result.deadline) {
    clock.end(
      'deadline',
      `load.loginTimeout (${loginTimeoutMs / 1000} s) passed with ${result.unfinished} of ${result.total} VUs not done logging in`
    )
  } else {
    clock.end(result.loggedIn === 0 ? 'failed' : 'complete')
  }
}
