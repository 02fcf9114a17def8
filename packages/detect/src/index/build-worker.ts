// The worker side of a background build. It keeps its own copy of the identities' values, kept in
// step by the changes it is sent (so that a rebuild sends only what changed, never everyone), and
// on request compiles them in the order the sender holds them and transfers the tables back, with
// each id's slot.
import { parentPort } from 'node:worker_threads'
import { run } from '../automaton/build-tables.js'
import { compile, transferables } from './compile-index.js'
import type { CompileOptions, IndexInput } from './compile-index.js'
import { slotTable } from './slot-table.js'

/**
 * Changes in the order they were made: `ids[i]` was removed (`counts[i]` -1) or set to its next
 * `counts[i]` values of `values`, with their columns. Setting an id keeps its place; a removed one
 * set again goes last, as in a Map: the worker's order stays the sender's.
 */
export interface Changes {
  ids: string[]
  counts: number[]
  values: string[]
  columns: number[]
}

export type BuildRequest =
  | { kind: 'changes'; changes: Changes }
  /** Compile every identity held (as of this message), answering with `count` as a check. */
  | { kind: 'build'; id: number; options: CompileOptions }

interface Held {
  values: string[]
  columns: number[]
}

const held = new Map<string, Held>()

function apply(changes: Changes): void {
  let at = 0
  changes.ids.forEach((id, i) => {
    const count = changes.counts[i] as number
    if (count < 0) {
      held.delete(id)
      return
    }
    held.set(id, {
      values: changes.values.slice(at, at + count),
      columns: changes.columns.slice(at, at + count),
    })
    at += count
  })
}

function inputOf(options: CompileOptions): IndexInput {
  let n = 0
  for (const identity of held.values()) {
    n += identity.values.length
  }
  const values = new Array<string>(n)
  const slots = new Int32Array(n)
  const columns = new Uint8Array(n)
  let v = 0
  let slot = 0
  for (const identity of held.values()) {
    for (let i = 0; i < identity.values.length; i++, v++) {
      values[v] = identity.values[i] as string
      slots[v] = slot
      columns[v] = identity.columns[i] as number
    }
    slot++
  }
  return { values, slots, columns, ...options }
}

parentPort?.on('message', (request: BuildRequest) => {
  if (request.kind === 'changes') {
    apply(request.changes)
    return
  }
  try {
    const tables = run(compile(inputOf(request.options)))
    const slots = slotTable([...held.keys()])
    parentPort?.postMessage({ id: request.id, tables, slots, count: held.size }, [
      ...transferables(tables),
      slots.buffer as ArrayBuffer,
    ])
  } catch (err) {
    parentPort?.postMessage({
      id: request.id,
      error: err instanceof Error ? err.message : String(err),
    })
  }
})
