// The README's Errors table must list exactly the codes (and statuses) that src/errors.ts defines.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import * as errors from '../src/errors.js'

function codesInSource(): Map<string, number> {
  const out = new Map<string, number>()
  for (const value of Object.values(errors)) {
    if (typeof value === 'function' && value.prototype instanceof errors.HomeError) {
      const Ctor = value as unknown as new (m: string, a?: never) => errors.HomeError
      const err = new Ctor('probe')
      // Abstract bases (HomeRetryLaterError) carry no code of their own.
      if (err.code !== 'HOME_ERR') {
        out.set(err.code, err.statusCode)
      }
    }
  }
  return out
}

function codesInReadme(): Map<string, number> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const section = readme.split(/^## Errors$/m)[1]?.split(/^## /m)[0] ?? ''
  const out = new Map<string, number>()
  for (const m of section.matchAll(/^\|\s*`(HOME_ERR_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)) {
    out.set(m[1]!, Number(m[2]))
  }
  return out
}

describe('README errors table', () => {
  test('matches src/errors.ts code for code and status for status', () => {
    const source = codesInSource()
    expect(source.size).toBeGreaterThan(10)
    expect(Object.fromEntries(codesInReadme())).toEqual(Object.fromEntries(source))
  })

  test('every code is unique and follows HOME_ERR_*', () => {
    const codes = [...codesInSource().keys()]
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) {
      expect(code).toMatch(/^HOME_ERR_[A-Z_]+$/)
    }
  })
})
