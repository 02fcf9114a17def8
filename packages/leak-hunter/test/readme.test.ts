// The README's Errors table lists exactly the codes errors.ts defines; the example scenario is valid.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import * as errors from '../src/errors.js'
import { loadScenario } from '../src/index.js'

const pkg = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url))

test('the README Errors table matches errors.ts', () => {
  const source = readFileSync(pkg('src/errors.ts'), 'utf8')
  const defined = new Set(source.match(/'HUNT_ERR_[A-Z_]+'/g)!.map((s) => s.slice(1, -1)))
  const readme = readFileSync(pkg('README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('## Benchmarks'))
  const documented = new Set([...section.matchAll(/^\| `(HUNT_ERR_[A-Z_]+)`/gm)].map((m) => m[1]!))
  expect([...documented].sort()).toEqual([...defined].sort())
  // Every exported error class is a HuntError with a code.
  for (const value of Object.values(errors)) {
    if (typeof value === 'function' && value !== errors.HuntError) {
      expect(value.prototype).toBeInstanceOf(errors.HuntError)
    }
  }
})

test('the homepage example scenario and its accounts validate', async () => {
  const s = await loadScenario({
    scenario: pkg('examples/homepage/scenario.yaml'),
    overrides: { vus: 2 },
  })
  expect(s.login.map((l) => `${l.method} ${l.path.source} ${l.expect.join()}`)).toEqual([
    'GET /login 200',
    'POST /login 303',
    'GET / 200',
  ])
  expect(s.accounts.map((a) => a.fields.displayName)).toEqual(['Ann Lee', "O'Brien, Pat"])
  expect(s.markers.columns).toEqual(['displayName', 'email'])
  expect(s.markers.ids).toEqual([
    { column: 'userId', json: ['userId'], attributes: [], pathSegments: [] },
  ])
})

test('the README example without a load section validates, with the documented defaults', async () => {
  const readme = readFileSync(pkg('README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('**The `load` section is optional**'))
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!
  const s = await loadScenario({
    scenario: parse(yaml) as Record<string, unknown>,
    accountsCsv: readFileSync(pkg('examples/homepage/accounts.csv'), 'utf8'),
  })
  expect(s.load).toMatchObject({ vus: 2, durationMs: 30_000, rampUpMs: 0 })
})
