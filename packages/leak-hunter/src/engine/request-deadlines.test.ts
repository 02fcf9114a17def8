import { describe, expect, test } from 'vitest'
import { DeadlineError, PhaseEndError, RequestDeadlines } from './request-deadlines.js'
import type { Expirable } from './request-deadlines.js'

class FakeRequest implements Expirable {
  settled = false
  error: Error | undefined
  deadlinePrev: Expirable | undefined
  deadlineNext: Expirable | undefined
  constructor(readonly startedAt: number) {}
  expire(error: Error): void {
    this.settled = true
    this.error = error
  }
}

describe('RequestDeadlines', () => {
  test('a request past its total deadline is ended with ETIMEDOUT; others are left alone', () => {
    const d = new RequestDeadlines(1000)
    const old = new FakeRequest(0)
    const young = new FakeRequest(500)
    const done = new FakeRequest(0)
    d.track(old)
    d.track(young)
    d.track(done)
    done.settled = true
    d.untrack(done)
    d.sweep(1000)
    expect(old.error).toBeInstanceOf(DeadlineError)
    expect(old.error).toMatchObject({
      code: 'ETIMEDOUT',
      message: 'no complete response within 1 s (load.timeout)',
    })
    expect(young.error).toBeUndefined()
    d.sweep(1499)
    expect(young.error).toBeUndefined()
    d.sweep(1500)
    expect(young.error).toBeInstanceOf(DeadlineError)
    expect(done.error).toBeUndefined()
    d.stop()
  })

  test('a settled request leaves the list at once, wherever it is in it', () => {
    const d = new RequestDeadlines(1000)
    const rs = [0, 1, 2, 3].map((t) => new FakeRequest(t))
    rs.forEach((r) => d.track(r))
    // Middle, head, tail, and a second untrack of the same one: all harmless.
    for (const i of [1, 0, 3, 3]) {
      rs[i]!.settled = true
      d.untrack(rs[i]!)
    }
    d.sweep(10_000)
    expect(rs.map((r) => r.error === undefined)).toEqual([true, true, false, true])
    // Empty now: a later track starts a fresh list.
    const late = new FakeRequest(20_000)
    d.track(late)
    d.sweep(21_000)
    expect(late.error).toBeInstanceOf(DeadlineError)
  })

  test('the sweep runs often enough that a deadline fires at most a quarter (≤ 250 ms) late', () => {
    expect(new RequestDeadlines(10_000).sweepMs).toBe(250)
    expect(new RequestDeadlines(400).sweepMs).toBe(100)
    expect(new RequestDeadlines(1).sweepMs).toBe(5)
  })

  test('expireAll ends every request in flight with the phase error', () => {
    const d = new RequestDeadlines(60_000)
    const a = new FakeRequest(0)
    const b = new FakeRequest(0)
    d.track(a)
    d.track(b)
    b.settled = true
    d.expireAll(new PhaseEndError('the login phase ended'))
    expect(a.error).toBeInstanceOf(PhaseEndError)
    expect(b.error).toBeUndefined()
  })
})
