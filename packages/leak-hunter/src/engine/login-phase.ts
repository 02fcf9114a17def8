// The login phase: every VU logs in (at most LOGIN_CONCURRENCY at once) until all are done or
// load.loginTimeout passes; then the requests still in flight are cut off.
import type { EngineContext } from './engine-context.js'
import type { PhaseClock } from './phase-clock.js'
import { PhaseEndError } from './request-deadlines.js'
import { mapLimit } from './run-load.js'
import { createRandom, shuffledIndexes } from './seeded-random.js'
import { VirtualUser } from './virtual-user.js'

const LOGIN_CONCURRENCY = 256

/** Assign accounts to VUs: a seeded shuffle, each account to at most one VU. */
export function assignAccounts(accounts: number, vus: number, seed: string): number[] {
  return shuffledIndexes(accounts, createRandom(seed, 'accounts')).slice(0, vus)
}

/** Logs every VU in; VUs not logged in when the phase ends take no part in the load. */
export async function loginAll(
  ctx: EngineContext,
  clock: PhaseClock,
  loginStopper: AbortController,
  interrupted: () => boolean
): Promise<{ vus: VirtualUser[]; network: boolean }> {
  const { scenario, metrics } = ctx
  const { load } = scenario
  clock.start('login')
  const assignment = assignAccounts(scenario.accounts.length, load.vus, load.seed)
  const vus = assignment.map(
    (accountIndex, vu) => new VirtualUser(ctx, vu, scenario.accounts[accountIndex]!)
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
  const unfinished = results.filter((r) => !r.ok && r.cutOff === true).length
  if (interrupted()) {
    clock.end('interrupted')
  } else if (loginStopper.signal.aborted) {
    clock.end(
      'deadline',
      `load.loginTimeout (${load.loginTimeoutMs / 1000} s) passed with ${unfinished} of ${vus.length} VUs not done logging in`
    )
  } else {
    clock.end(ready.length === 0 ? 'failed' : 'complete')
  }
  // Unreachable only when every VU that tried got no response at all.
  const tried = results.filter((r) => r.cutOff !== true)
  return { vus: ready, network: tried.length > 0 && tried.every((r) => r.network) }
}
