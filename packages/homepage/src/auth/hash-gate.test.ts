import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { HashGate } from './hash-gate.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('HashGate', () => {
  test('runs at most `concurrency` at once and hands each freed slot to the next waiter', async () => {
    const gate = new HashGate({ concurrency: 2, maxQueuedWork: 10, waitMs: 1000 })
    const jobs = Array.from({ length: 4 }, () => deferred())
    const started: number[] = []
    const runs = jobs.map((job, i) =>
      gate.run(1, () => {
        started.push(i)
        return job.promise
      })
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(started).toEqual([0, 1])
    expect(gate.stats()).toEqual({ running: 2, waiting: 2 })
    jobs[0]!.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(started).toEqual([0, 1, 2])
    jobs.slice(1).forEach((j) => j.resolve())
    await Promise.all(runs)
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 })
  })

  test('work beyond the queue is refused at once; a waiter past waitMs is refused then', async () => {
    const gate = new HashGate({ concurrency: 1, maxQueuedWork: 3, waitMs: 1000 })
    const hold = deferred()
    const first = gate.run(1, () => hold.promise)
    const queued = gate.run(2, () => Promise.resolve('queued'))
    await expect(gate.run(2, () => Promise.resolve())).rejects.toMatchObject({
      code: 'HOME_ERR_BUSY',
      retryAfterSeconds: 1,
    })
    // Cheap work still fits in what is left of the queue.
    const cheap = gate.run(1, () => Promise.resolve('cheap'))
    const late = [queued, cheap].map((p) =>
      expect(p).rejects.toMatchObject({ code: 'HOME_ERR_BUSY' })
    )
    await vi.advanceTimersByTimeAsync(1000)
    await Promise.all(late)
    hold.resolve()
    await first
    expect(await gate.run(3, () => Promise.resolve('free again'))).toBe('free again')
  })
})
