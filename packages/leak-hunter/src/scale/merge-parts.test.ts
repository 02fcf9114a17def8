import { expect, test } from 'vitest'
import { HuntMetrics } from '../engine/hunt-metrics.js'
import type { StepSummary } from '../report/types.js'
import { countersOf, mergeFigures, mergeSteps } from './merge-parts.js'

test('merged latency, max included, is the histogram of every request, not an average of the parts', () => {
  const origin = 1_700_000_000_000
  const whole = new HuntMetrics(origin)
  const parts = [new HuntMetrics(origin), new HuntMetrics(origin), new HuntMetrics(origin)]
  let x = 7
  for (let i = 0; i < 3000; i++) {
    x = (x * 48271) % 2147483647
    // Skewed so that averaging the parts' percentiles would be far off.
    const ms = i % 3 === 0 ? 200 + (x % 800) : 1 + (x % 20)
    const t = origin + (i % 5) * 1000
    whole.recordRequest(t, ms)
    parts[i % 3]!.recordRequest(t, ms)
  }
  parts[1]!.recordError(origin + 2500)
  whole.recordError(origin + 2500)
  const merged = mergeFigures(
    origin,
    origin,
    parts.map((m) => ({
      counters: countersOf(m),
      latency: m.latencyPart(),
      timeline: m.timeline(),
      timelineOrigin: origin,
      steps: [],
      cookiesDropped: {},
      affected: [],
    }))
  )
  expect(merged.latencyCount).toBe(3000)
  expect(merged.latencyPercentiles()).toEqual(whole.latencyPercentiles())
  expect(merged.latency()).toEqual(whole.latency())
  expect(countersOf(merged)).toEqual(countersOf(whole))
  expect(merged.timeline()).toEqual(whole.timeline())
})

test('timelines of parts that started on other whole seconds line up', () => {
  const a = new HuntMetrics(10_000)
  const b = new HuntMetrics(12_000)
  a.recordRequest(12_500, 1)
  b.recordRequest(12_500, 1)
  const figures = (m: HuntMetrics): Parameters<typeof mergeFigures>[2][number] => ({
    counters: countersOf(m),
    latency: undefined,
    timeline: m.timeline(),
    timelineOrigin: m.timelineOrigin,
    steps: [],
    cookiesDropped: {},
    affected: [],
  })
  const merged = mergeFigures(10_000, 10_000, [figures(a), figures(b)])
  expect(merged.timeline()[2]).toEqual({ second: 2, requests: 2, leakingResponses: 0, errors: 0 })
})

test('steps add up; messages keep the ten most frequent and the rest count in otherFailures', () => {
  const step = (messages: Array<[string, number]>, other = 0): StepSummary => ({
    phase: 'load',
    name: 'home',
    method: 'GET',
    path: '/',
    sent: 10,
    responses: 9,
    errors: 1,
    failures: messages.reduce((n, [, c]) => n + c, other),
    messages: messages.map(([message, count]) => ({ message, count })),
    otherFailures: other,
    leaks: { responses: 1, findings: 2 },
    warnings: 0,
  })
  const a = step(
    Array.from({ length: 10 }, (_, i) => [`a${i}`, 1] as [string, number]),
    3
  )
  const b = step([
    ['a0', 5],
    ['b', 4],
  ])
  const [merged] = mergeSteps([[a], [b]])
  expect(merged!.sent).toBe(20)
  expect(merged!.leaks).toEqual({ responses: 2, findings: 4 })
  expect(merged!.messages.slice(0, 2)).toEqual([
    { message: 'a0', count: 6 },
    { message: 'b', count: 4 },
  ])
  expect(merged!.messages).toHaveLength(10)
  const listed = merged!.messages.reduce((n, m) => n + m.count, 0)
  expect(listed + merged!.otherFailures).toBe(merged!.failures)
})
