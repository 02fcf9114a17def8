import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { startHeartbeat } from './heartbeat.js'

describe('startHeartbeat (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  test('pings every interval while answers come back, never calls onHung', async () => {
    let pings = 0
    const onHung = vi.fn()
    const stop = startHeartbeat(
      () => {
        pings++
        return new Promise((resolve) => setTimeout(resolve, 5))
      },
      { intervalMs: 100, timeoutMs: 50 },
      onHung
    )
    await vi.advanceTimersByTimeAsync(1_000)
    expect(pings).toBe(10)
    expect(onHung).not.toHaveBeenCalled()
    stop()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(pings).toBe(10)
  })

  test('an unanswered ping calls onHung once after timeoutMs and stops pinging', async () => {
    let pings = 0
    const onHung = vi.fn()
    startHeartbeat(
      () => {
        pings++
        return new Promise(() => undefined)
      },
      { intervalMs: 100, timeoutMs: 50 },
      onHung
    )
    await vi.advanceTimersByTimeAsync(149)
    expect(onHung).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(onHung).toHaveBeenCalledTimes(1)
    expect(onHung).toHaveBeenCalledWith(50)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(pings).toBe(1)
    expect(onHung).toHaveBeenCalledTimes(1)
  })

  test('a slow answer past the deadline still counts as hung', async () => {
    const onHung = vi.fn()
    startHeartbeat(
      () => new Promise((resolve) => setTimeout(resolve, 80)),
      { intervalMs: 100, timeoutMs: 50 },
      onHung
    )
    await vi.advanceTimersByTimeAsync(300)
    expect(onHung).toHaveBeenCalledTimes(1)
  })

  test('a rejected ping (channel gone) stops the heartbeat without onHung', async () => {
    const onHung = vi.fn()
    let pings = 0
    startHeartbeat(
      () => {
        pings++
        return Promise.reject(new Error('closed'))
      },
      { intervalMs: 100, timeoutMs: 50 },
      onHung
    )
    await vi.advanceTimersByTimeAsync(1_000)
    expect(pings).toBe(1)
    expect(onHung).not.toHaveBeenCalled()
  })
})
