// The build worker keeps its own copy of the identities from the changes it is told: what it
// compiles must be what a build at once of the same identities, in the same order, gives; and once
// it has lost its copy (abort, failure) it refuses to build from it until told everyone again.
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import { run } from '../src/automaton/build-tables.js'
import { BuildThread } from '../src/index/build-thread.js'
import type { Built } from '../src/index/build-thread.js'
import { collect, compile, compileOptions } from '../src/index/compile-index.js'
import type { ColumnValues } from '../src/index/compile-index.js'
import { markerColumns, resolveOptions, valuesOf } from '../src/index/options.js'
import type { Identity } from '../src/types.js'
import { makeIdentities } from './fixtures/identities.js'

const options = resolveOptions({
  columns: ['name', 'email'],
  ids: [{ column: 'userId', json: ['userId'] }],
})
const values = (identity: Identity): ColumnValues =>
  markerColumns(options).map((column) => valuesOf(identity, column))
/** Each table as its length and a hash of its bytes (a deep compare of 100,000s of elements is slow). */
function digest({ tables, slots }: Built): Record<string, string> {
  const { automaton, ...rest } = tables
  const out: Record<string, string> = { caseInsensitive: String(automaton.caseInsensitive) }
  for (const [name, array] of Object.entries({ ...automaton, ...rest, slots })) {
    if (ArrayBuffer.isView(array)) {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
      out[name] = `${array.length}:${createHash('sha1').update(bytes).digest('hex')}`
    }
  }
  return out
}
function atOnce(list: Identity[]): Record<string, string> {
  const collected = run(collect(list, options))
  return digest({ tables: run(compile(collected.input)), slots: collected.slots })
}
const compiled = async (built: Promise<Built>) => digest(await built)

const threads: BuildThread[] = []
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.close()))
})
function thread(): BuildThread {
  const t = new BuildThread()
  threads.push(t)
  return t
}

describe('a build thread', () => {
  test('compiles its copy, kept by sets and deletes in parts, as a build at once would', async () => {
    const t = thread()
    // More than one part of values, with changes of every kind in between.
    const people = makeIdentities(4000)
    const now = new Map<string, Identity>()
    for (const p of people) {
      t.set(p.id, values(p))
      now.set(p.id, p)
    }
    for (const p of people.slice(100, 200)) {
      t.delete(p.id)
      now.delete(p.id)
    }
    const renamed = {
      ...people[5]!,
      markers: { ...people[5]!.markers, name: ['Ann Lee', 'A Lee'] },
    }
    t.set(renamed.id, values(renamed))
    now.set(renamed.id, renamed)
    // Removed, then set again: it goes last, in the worker as in a Map.
    t.delete(people[7]!.id)
    now.delete(people[7]!.id)
    t.set(people[7]!.id, values(people[7]!))
    now.set(people[7]!.id, people[7]!)
    const list = [...now.values()]
    const tables = await compiled(t.compile(compileOptions(options), list.length))
    expect(tables).toEqual(atOnce(list))
    // A change after the request is not in it, and is in the next.
    const later = t.compile(compileOptions(options), list.length)
    t.delete(people[0]!.id)
    now.delete(people[0]!.id)
    expect(await compiled(later)).toEqual(tables)
    expect(await compiled(t.compile(compileOptions(options), list.length - 1))).toEqual(
      atOnce([...now.values()])
    )
  })

  test('once it lost its copy, refuses to build until reset and told everyone again', async () => {
    const t = thread()
    const people = makeIdentities(50)
    for (const p of people) {
      t.set(p.id, values(p))
    }
    const controller = new AbortController()
    const aborted = t.compile(compileOptions(options), people.length, controller.signal)
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'DETECT_ERR_ABORTED' })
    expect(t.lost).toBe(true)
    t.set('late', values(people[0]!))
    await expect(t.compile(compileOptions(options), people.length)).rejects.toMatchObject({
      code: 'DETECT_ERR_BUILD_FAILED',
    })
    t.reset()
    for (const p of people) {
      t.set(p.id, values(p))
    }
    expect(await compiled(t.compile(compileOptions(options), people.length))).toEqual(
      atOnce(people)
    )
  })

  test('a copy out of step with the caller fails the build (DETECT_ERR_BUILD_FAILED)', async () => {
    const t = thread()
    const people = makeIdentities(10)
    for (const p of people) {
      t.set(p.id, values(p))
    }
    await expect(t.compile(compileOptions(options), people.length + 1)).rejects.toMatchObject({
      code: 'DETECT_ERR_BUILD_FAILED',
    })
    expect(t.lost).toBe(true)
  })
})
