// The worker side of a background build: gathers an IndexInput's values (sent in parts, so that
// no one postMessage stalls the sender), compiles it and transfers the tables back.
import { parentPort } from 'node:worker_threads'
import { run } from '../automaton/build-tables.js'
import { compile, transferables } from './compile-index.js'
import type { IndexInput } from './compile-index.js'

/** A part of the values of build `id`, or (with `input`) its last message. */
export interface BuildRequest {
  id: number
  values: string[]
  input?: Omit<IndexInput, 'values'>
}

const parts = new Map<number, string[][]>()

parentPort?.on('message', (request: BuildRequest) => {
  const got = parts.get(request.id) ?? []
  got.push(request.values)
  if (request.input === undefined) {
    parts.set(request.id, got)
    return
  }
  parts.delete(request.id)
  try {
    const tables = run(compile({ ...request.input, values: got.flat() }))
    parentPort?.postMessage({ id: request.id, tables }, transferables(tables))
  } catch (err) {
    parentPort?.postMessage({
      id: request.id,
      error: err instanceof Error ? err.message : String(err),
    })
  }
})
