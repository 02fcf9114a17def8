// The README's Errors table lists exactly the codes errors.ts defines, and every exported error
// class is a DetectError.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import * as errors from '../src/errors.js'

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

test('the README Errors table matches errors.ts', () => {
  const defined = new Set(
    read('src/errors.ts')
      .match(/'DETECT_ERR_[A-Z_]+'/g)!
      .map((s) => s.slice(1, -1))
  )
  const readme = read('README.md')
  const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('## Benchmarks'))
  const documented = [...section.matchAll(/^\| `(DETECT_ERR_[A-Z_]+)`/gm)].map((m) => m[1]!)
  expect(documented.sort()).toEqual([...defined].sort())
  for (const value of Object.values(errors)) {
    if (typeof value === 'function' && value !== errors.DetectError) {
      expect(value.prototype).toBeInstanceOf(errors.DetectError)
    }
  }
})
