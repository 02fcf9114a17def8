// The registry's eviction rules (README "Registry"), with a fake clock.
import { describe, expect, test } from 'vitest'
import type { ResolvedIdentity } from './identity.js'
import { identityBytes } from './identity.js'
import type { EvictionReason } from './registry.js'
import { IdentityRegistry } from './registry.js'

function setup(options: { ttlMs?: number; maxIdentities?: number; maxBytes?: number } = {}) {
  const events: string[] = []
  const registry = new IdentityRegistry(
    {
      ttlMs: options.ttlMs ?? 1000,
      maxIdentities: options.maxIdentities ?? 100,
      maxBytes: options.maxBytes ?? 1e9,
    },
    {
      set: (i) => events.push(`set ${i.id}`),
      delete: (id: string, reason: EvictionReason) => events.push(`delete ${id} ${reason}`),
    }
  )
  return { registry, events }
}

const who = (id: string, name = `Name ${id}`): ResolvedIdentity => ({
  id,
  fields: { displayName: name },
})

describe('IdentityRegistry', () => {
  test('a touch adds once; the same markers again change nothing; new markers update the index', () => {
    const { registry, events } = setup()
    registry.touch(who('a'), 0)
    registry.touch(who('a'), 10)
    registry.touch(who('a', 'Renamed'), 20)
    expect(events).toEqual(['set a', 'set a'])
    expect(registry.size).toBe(1)
  })

  test('expiry: not seen for ttlMs, dropped by sweep; a touch keeps an identity alive', () => {
    const { registry, events } = setup({ ttlMs: 1000 })
    registry.touch(who('a'), 0)
    registry.touch(who('b'), 0)
    registry.touch(who('a'), 900)
    expect(registry.sweep(1500)).toBe(1)
    expect([...registry.identities()].map((i) => i.id)).toEqual(['a'])
    expect(events.at(-1)).toBe('delete b expired')
  })

  test('a touch also drops expired identities at the front', () => {
    const { registry } = setup({ ttlMs: 1000 })
    registry.touch(who('old'), 0)
    registry.touch(who('new'), 2000)
    expect(registry.has('old')).toBe(false)
    expect(registry.evicted.expired).toBe(1)
  })

  test('count cap: the least recently seen goes first, never the one just touched', () => {
    const { registry, events } = setup({ maxIdentities: 2 })
    registry.touch(who('a'), 0)
    registry.touch(who('b'), 1)
    registry.touch(who('a'), 2)
    registry.touch(who('c'), 3)
    expect([...registry.identities()].map((i) => i.id)).toEqual(['a', 'c'])
    expect(events.at(-1)).toBe('delete b count')
  })

  test('byte cap: evicts by estimated bytes', () => {
    const one = identityBytes(who('a'))
    const { registry } = setup({ maxBytes: 2 * one })
    registry.touch(who('a'), 0)
    registry.touch(who('b'), 1)
    registry.touch(who('c'), 2)
    expect(registry.size).toBe(2)
    expect(registry.bytes).toBeLessThanOrEqual(2 * one)
    expect(registry.evicted.bytes).toBe(1)
  })

  test('forget drops the identity and its session cookies', () => {
    const { registry } = setup()
    registry.touch(who('a'), 0)
    registry.holdCookie('a', 'h1')
    expect(registry.cookieOwner('h1')).toBe('a')
    expect(registry.forget('a')).toBe(true)
    expect(registry.cookieOwner('h1')).toBeUndefined()
    expect(registry.forget('a')).toBe(false)
  })

  test('session cookies: a few per identity, oldest dropped; a hash moving to another identity leaves the first', () => {
    const { registry } = setup()
    registry.touch(who('a'), 0)
    registry.touch(who('b'), 0)
    for (let i = 0; i < 5; i++) {
      registry.holdCookie('a', `h${i}`)
    }
    expect(registry.cookieOwner('h0')).toBeUndefined()
    expect(registry.cookieOwner('h4')).toBe('a')
    registry.holdCookie('b', 'h4')
    expect(registry.cookieOwner('h4')).toBe('b')
    registry.holdCookie('unknown', 'h9')
    expect(registry.cookieOwner('h9')).toBeUndefined()
  })
})
