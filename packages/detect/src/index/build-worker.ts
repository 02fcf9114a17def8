// The worker side of a background build: compiles an IndexInput and transfers the tables back.
import { parentPort } from 'node:worker_threads'
import { run } from '../automaton/build-tables.js'
import { compile, transferables } from './compile-index.js'
import type { IndexInput } from './compile-index.js'

export interface BuildRequest {
  id: number
  input: IndexInput
}

parentPort?.on('message', (request: BuildRequest) => {
  try {
    const tables = run(compile(request.input))
    parentPort?.postMessage({ id: request.id, tables }, transferables(tables))
  } catch (err) {
    parentPort?.postMessage({
      id: request.id,
      error: err instanceof Error ? err.message : String(err),
    })
  }
})
