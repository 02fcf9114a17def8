// A misbehaving peer: unknown ids, duplicates, late replies, malformed envelopes and foreign
// messages. Nothing may reach the wrong caller, and the drop counters must say what happened.
import diagnosticsChannel from 'node:diagnostics_channel'
import { afterAll, expect, test, vi } from 'vitest'
import { channels, childProcessTransport, createEndpoint, type DropReason } from '../src/index.js'
import { forkTs, killAll } from './helpers/fork-ts.js'
import { rejection, until } from './helpers/transport-contract.js'

// Child processes start slowly on a loaded 2-core machine; keep real bounds, not 5 s defaults.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

type AdversarialApi = Record<
  'honest' | 'duplicate' | 'unknownId' | 'late' | 'malformed' | 'foreign',
  (token: string, ms?: number) => string
>

afterAll(killAll)

test('misbehaving replies are dropped and counted, never delivered', async () => {
  const child = forkTs('adversarial-child.ts')
  const appMessages: unknown[] = []
  child.on('message', (m: unknown) => appMessages.push(m))
  const seen: Record<DropReason, number> = { unknown: 0, late: 0, duplicate: 0, malformed: 0 }
  const onDrop = (m: unknown): void => {
    seen[(m as { reason: DropReason }).reason]++
  }
  diagnosticsChannel.subscribe(channels.replyDropped, onDrop)
  const endpoint = createEndpoint<AdversarialApi>(childProcessTransport(child), { name: 'adv' })
  try {
    const rounds = 40
    const kinds = ['honest', 'duplicate', 'unknownId', 'malformed', 'foreign'] as const
    const calls: Array<Promise<void>> = []
    for (let i = 0; i < rounds; i++) {
      for (const kind of kinds) {
        const token = `${kind}-${i}`
        calls.push(endpoint.call(kind, token).then((r) => expect(r).toBe(token)))
      }
      calls.push(
        rejection(endpoint.callWith({ timeoutMs: 20 }, 'late', `late-${i}`, 150)).then((err) => {
          expect(err.code).toBe('RPC_ERR_TIMEOUT')
        })
      )
    }
    await Promise.all(calls)
    // Late replies arrive after the timeouts; wait for all of them to be counted.
    await until(() => endpoint.stats().dropped.late === rounds)
    const stats = endpoint.stats()
    expect(stats.dropped).toEqual({
      unknown: rounds,
      late: rounds,
      duplicate: rounds * 3,
      malformed: rounds * 8,
    })
    expect(stats.foreign).toBe(rounds * 3)
    expect(stats.timeouts).toBe(rounds)
    expect(stats.inFlight).toBe(0)
    expect(seen).toEqual(stats.dropped)
    // The application's own listener still saw the foreign messages, untouched.
    expect(appMessages).toContainEqual({ id: expect.any(Number), r: 'foreign-0-stolen' })
    expect(appMessages).toContain('foreign-7-string')
  } finally {
    diagnosticsChannel.unsubscribe(channels.replyDropped, onDrop)
    endpoint.close()
  }
})
