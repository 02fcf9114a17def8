// The README's Errors table lists exactly the codes src/errors.ts defines, and its options table
// every option of createGuard().
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import * as errors from '../src/errors.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const section = (title: string): string =>
  readme.split(new RegExp(`^## ${title}$`, 'm'))[1]?.split(/^## /m)[0] ?? ''

function codesInSource(): string[] {
  const codes: string[] = []
  for (const value of Object.values(errors)) {
    if (typeof value === 'function' && value.prototype instanceof errors.GuardError) {
      const probe = Reflect.construct(value, [[]]) as errors.GuardError
      codes.push(probe.code)
    }
  }
  return codes.sort()
}

describe('README', () => {
  test('the Errors table matches src/errors.ts code for code', () => {
    const inReadme = [...section('Errors').matchAll(/^\|\s*`(GUARD_ERR_[A-Z_]+)`\s*\|/gm)].map(
      (m) => m[1]!
    )
    expect(inReadme.sort()).toEqual(codesInSource())
    expect(codesInSource().length).toBeGreaterThanOrEqual(7)
  })

  test('the Options table names every option', () => {
    const options = section('Options')
    for (const name of [
      'mode',
      'markers.text',
      'markers.ids',
      'allowlist',
      'sessionCookies',
      'registry.ttlMs',
      'maxBufferBytes',
      'overflow',
      'onError',
      'sampleRate',
      'scanAnonymous',
      'scanCacheBytes',
      'log',
      'blockedBody',
    ]) {
      expect(options, name).toContain(`\`${name}\``)
    }
  })
})
