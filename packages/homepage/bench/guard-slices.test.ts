import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHomeGuard } from '../src/server/home-guard.js'
import { alternateGuard } from './guard-slices.js'

afterEach(() => {
  vi.useRealTimers()
})

function setUp(control = false) {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  const real = createHomeGuard({ mode: 'report', ttlMs: 60_000 })
  const forwarded: string[] = []
  const inner = {
    ...real,
    identify: (request: object) => void forwarded.push((request as { name: string }).name),
  }
  return { real, forwarded, slices: alternateGuard(inner, 100, control) }
}

const request = (name: string) => ({ name }) as never
const identity = { id: 1, markers: {} }

describe('alternateGuard', () => {
  it('forwards identify() in every other slice, counts each slice’s requests, stays on once stopped', () => {
    const { real, forwarded, slices } = setUp()
    slices.start()
    slices.guard.identify(request('a'), identity)
    slices.guard.identify(request('b'), identity)
    vi.advanceTimersByTime(100)
    slices.guard.identify(request('c'), identity)
    vi.advanceTimersByTime(100)
    slices.guard.identify(request('d'), identity)
    const result = slices.stop()
    // Stopped: the guard stays on, whatever time passes.
    vi.advanceTimersByTime(100)
    slices.guard.identify(request('e'), identity)
    real.close()
    expect(forwarded).toEqual(['a', 'b', 'd', 'e'])
    expect(result.map((s) => [s.on, s.requests, s.scanned])).toEqual([
      [true, 2, 0],
      [false, 1, 0],
      [true, 1, 0],
    ])
    expect(result.every((s) => s.cpuUs >= 0)).toBe(true)
  })

  it('forwards every call in a control run and keeps the guard’s other members', () => {
    const { real, forwarded, slices } = setUp(true)
    slices.start()
    slices.guard.identify(request('a'), identity)
    vi.advanceTimersByTime(100)
    slices.guard.identify(request('b'), identity)
    expect(slices.stop().map((s) => s.on)).toEqual([true, false])
    real.close()
    expect(forwarded).toEqual(['a', 'b'])
    expect(slices.guard.fastify).toBe(real.fastify)
  })
})
