import { describe, expect, test } from 'vitest'
import { capacity } from './child-census.js'
import type { PoolChild } from './pool-child.js'

type Shape = Pick<PoolChild, 'state' | 'failure' | 'replacement'>
const children = (...shapes: Array<Partial<Shape>>): PoolChild[] =>
  shapes.map((s) => ({ failure: undefined, replacement: undefined, ...s }) as PoolChild)

describe('capacity', () => {
  test('starting and ready children count; a retiring one counts until its replacement exists', () => {
    expect(capacity(children({ state: 'starting' }, { state: 'ready' }))).toBe(2)
    expect(capacity(children({ state: 'retiring' }))).toBe(1)
    const next = children({ state: 'starting' })[0]!
    expect(capacity([...children({ state: 'retiring', replacement: next }), next])).toBe(1)
  })

  test('a child lost to a failure keeps its place until it has ended; a deliberate stop does not', () => {
    // Its failure is counted when it ends: only then may it be replaced, as a restart.
    expect(capacity(children({ state: 'stopping', failure: 'exit' }, { state: 'ready' }))).toBe(2)
    expect(capacity(children({ state: 'stopping', failure: 'hung' }))).toBe(1)
    expect(capacity(children({ state: 'stopping' }, { state: 'ready' }))).toBe(1)
    expect(capacity(children({ state: 'exited', failure: 'exit' }))).toBe(0)
  })
})
