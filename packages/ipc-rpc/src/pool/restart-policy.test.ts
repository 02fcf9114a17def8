import { describe, expect, test } from 'vitest'
import { RestartPolicy } from './restart-policy.js'

const options = {
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  maxRestarts: 4,
  windowMs: 10_000,
  coolDownMs: 5_000,
}

function policyAt(): { policy: RestartPolicy; advance: (ms: number) => void } {
  let now = 0
  const policy = new RestartPolicy(options, () => now)
  return { policy, advance: (ms) => (now += ms) }
}

describe('RestartPolicy', () => {
  test('doubles the delay for failures inside the window, capped at maxDelayMs', () => {
    const { policy, advance } = policyAt()
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      const d = policy.onFailure()
      expect(d.kind).toBe('respawn')
      if (d.kind === 'respawn') {
        delays.push(d.delayMs)
      }
      advance(10)
    }
    expect(delays).toEqual([100, 200, 400, 800])
    const capped = new RestartPolicy({ ...options, maxRestarts: 100 }, () => 0)
    let last = 0
    for (let i = 0; i < 10; i++) {
      const d = capped.onFailure()
      last = d.kind === 'respawn' ? d.delayMs : -1
    }
    expect(last).toBe(1_000)
  })

  test('trips after more than maxRestarts failures within the window, and stays open until a probe', () => {
    const { policy, advance } = policyAt()
    for (let i = 0; i < 4; i++) {
      expect(policy.onFailure().kind).toBe('respawn')
      advance(1_000)
    }
    expect(policy.tripped).toBe(false)
    expect(policy.onFailure()).toEqual({ kind: 'trip' })
    expect(policy).toMatchObject({ tripped: true, state: 'open' })
    advance(60_000)
    expect(policy.onFailure()).toEqual({ kind: 'trip' })
    expect(policy.state).toBe('open')
  })

  test('half-open: one probe; its failure opens the breaker again, its success closes it clean', () => {
    const { policy } = policyAt()
    expect(policy.beginProbe()).toBe(false) // closed: nothing to probe
    for (let i = 0; i < 5; i++) {
      policy.onFailure()
    }
    expect(policy.state).toBe('open')
    expect(policy.beginProbe()).toBe(true)
    expect(policy).toMatchObject({ state: 'half-open', tripped: true })
    expect(policy.beginProbe()).toBe(false) // one probe at a time
    expect(policy.onFailure()).toEqual({ kind: 'trip' })
    expect(policy.state).toBe('open')
    expect(policy.beginProbe()).toBe(true)
    policy.probeSucceeded()
    expect(policy).toMatchObject({ state: 'closed', tripped: false })
    // The window starts empty: the next failure gets the initial delay, not a trip.
    expect(policy.recentFailures()).toBe(0)
    expect(policy.onFailure()).toEqual({ kind: 'respawn', delayMs: 100 })
  })

  test('failures that leave the window no longer count, so the backoff resets', () => {
    const { policy, advance } = policyAt()
    for (let i = 0; i < 4; i++) {
      policy.onFailure()
      advance(3_000)
    }
    // Failures at 0, 3000, 6000, 9000; now 12000 with a 10 s window: only the first has left it.
    expect(policy.recentFailures()).toBe(3)
    expect(policy.onFailure()).toEqual({ kind: 'respawn', delayMs: 800 })
    advance(20_000)
    expect(policy.onFailure()).toEqual({ kind: 'respawn', delayMs: 100 })
    expect(policy.tripped).toBe(false)
  })
})
