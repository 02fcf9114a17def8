// The registry against an obvious model (an array in least-recently-seen order) under random
// touches, forgets and sweeps: same members, same order, same evictions.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { ResolvedIdentity } from './identity.js'
import { IdentityRegistry } from './registry.js'

type Op =
  | { kind: 'touch'; id: number; name: number; dt: number }
  | { kind: 'forget'; id: number }
  | { kind: 'sweep'; dt: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('touch' as const),
      id: fc.nat(12),
      name: fc.nat(2),
      dt: fc.nat(400),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), id: fc.nat(12) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const), dt: fc.nat(1500) }) }
)

const who = (id: number, name: number): ResolvedIdentity => ({
  id: `i${id}`,
  fields: { displayName: `Name ${id} v${name}` },
})

describe('IdentityRegistry (property)', () => {
  test('matches an array model under any sequence of touches, forgets and sweeps', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (ops, cap) => {
        const ttl = 1000
        const set = new Map<string, string>()
        const registry = new IdentityRegistry(
          { ttlMs: ttl, maxIdentities: cap, maxBytes: 1e12 },
          {
            set: (i) => void set.set(i.id, i.fields.displayName ?? ''),
            delete: (id) => void set.delete(id),
          }
        )
        let model: Array<{ id: string; seen: number; name: string }> = []
        let now = 0
        for (const o of ops) {
          if (o.kind === 'touch') {
            now += o.dt
            const identity = who(o.id, o.name)
            registry.touch(identity, now)
            model = model.filter((m) => m.id !== identity.id)
            model.push({ id: identity.id, seen: now, name: identity.fields.displayName! })
            // The oldest go while expired or over the cap, never the one just touched.
            while (model.length > 1 && (model[0]!.seen <= now - ttl || model.length > cap)) {
              model.shift()
            }
          } else if (o.kind === 'forget') {
            registry.forget(`i${o.id}`)
            model = model.filter((m) => m.id !== `i${o.id}`)
          } else {
            now += o.dt
            registry.sweep(now)
            model = model.filter((m) => m.seen > now - ttl)
          }
          expect([...registry.identities()].map((i) => i.id)).toEqual(model.map((m) => m.id))
          expect(Object.fromEntries(set)).toEqual(
            Object.fromEntries(model.map((m) => [m.id, m.name]))
          )
        }
      }),
      { numRuns: 300 }
    )
  })
})
