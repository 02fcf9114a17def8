// The README's Errors table is the contract: it must list exactly the codes errors.ts defines.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import * as api from '../src/index.js'
import { RpcError } from '../src/index.js'

const errorsSource = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8')
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

function codesInSource(): string[] {
  return [...new Set([...errorsSource.matchAll(/'(RPC_ERR_[A-Z_]+)'/g)].map((m) => m[1]!))].sort()
}

function codesInReadme(): string[] {
  const section = readme.split(/^## Errors$/m)[1]?.split(/^## /m)[0] ?? ''
  const rows = [...section.matchAll(/^\|\s*`(RPC_ERR_[A-Z_]+)`\s*\|/gm)].map((m) => m[1]!)
  return rows.sort()
}

test('every code in errors.ts has a README row and every README row is a real code', () => {
  const source = codesInSource()
  expect(source.length).toBeGreaterThanOrEqual(10)
  expect(codesInReadme()).toEqual(source)
})

test('every error class exported from the package carries one of those codes', () => {
  const known = new Set(codesInSource())
  const classes = Object.values(api).filter(
    (v): v is typeof RpcError =>
      typeof v === 'function' && v.prototype instanceof Error && v !== RpcError
  )
  expect(classes.length).toBeGreaterThanOrEqual(10)
  for (const Class of classes) {
    const match = new RegExp(`class ${Class.name} extends RpcError[\\s\\S]*?'(RPC_ERR_[A-Z_]+)'`)
    const code = match.exec(errorsSource)?.[1]
    expect(code, Class.name).toBeDefined()
    expect(known.has(code!)).toBe(true)
  }
})

test('errors carry their code and name', () => {
  const err = new api.TimeoutError('render', 7, 50)
  expect(err).toBeInstanceOf(RpcError)
  expect(err.code).toBe('RPC_ERR_TIMEOUT')
  expect(err.name).toBe('TimeoutError')
  expect(err).toMatchObject({ method: 'render', callId: 7, timeoutMs: 50 })
  const gone = new api.PeerGoneError({
    reason: 'exit',
    pid: 12,
    exitCode: 3,
    method: 'm',
    callId: 1,
  })
  expect(gone).toMatchObject({ code: 'RPC_ERR_PEER_GONE', pid: 12, exitCode: 3, signal: null })
})
