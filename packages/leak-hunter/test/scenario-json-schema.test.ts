// The published scenario.schema.json: up to date with the validator's schema, accepted by a real
// JSON Schema validator (ajv), accepting every scenario the repository shows and refusing every
// broken one whose fault is one of shape (the same verdict as the validator's schema pass).
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Ajv } from 'ajv'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { SCHEMA_FILE, scenarioJsonSchemaText } from '../scripts/scenario-json-schema.js'
import { initScenario } from '../src/index.js'
import { parseOrFail } from '../src/scenario/problems.js'
import { SCENARIO_SCHEMA_ID, scenarioSchema } from '../src/scenario/scenario-schema.js'
import { hostileScenario } from './fixtures/hostile-server.js'
import { base, INVALID_CASES } from './fixtures/invalid-scenarios.js'
import { scenarioFor } from './fixtures/scenarios.js'
import type { LoginStyle } from './fixtures/scenarios.js'

const repo = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object
// strict: an unknown keyword or a malformed schema is an error, not ignored.
const check = new Ajv({ strict: true, allErrors: true }).compile(schema)

const homepage = parse(
  readFileSync(repo('packages/leak-hunter/examples/homepage/scenario.yaml'), 'utf8')
) as Record<string, unknown>

/** The yaml blocks of a Markdown file; fragments are read merged into the homepage example. */
function yamlBlocks(file: string): Array<[string, unknown]> {
  const text = readFileSync(repo(file), 'utf8')
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => {
    const line = text.slice(0, m.index).split('\n').length
    return [`${file}:${line}`, { ...homepage, ...(parse(m[1]!) as object) }]
  })
}

function schemaPass(value: unknown): boolean {
  try {
    parseOrFail(scenarioSchema, value)
    return true
  } catch {
    return false
  }
}

function ajvErrors(value: unknown): string[] {
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

test('scenario.schema.json is what scripts/scenario-json-schema.ts makes (run `npm run schema`)', async () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await scenarioJsonSchemaText())
})

test('the package publishes the schema: in the tarball, under its exports, with a stable $id', async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], {
    cwd: repo('packages/leak-hunter'),
  })
  const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files
  expect(files.map((f) => f.path)).toContain('scenario.schema.json')
  const resolved = createRequire(import.meta.url).resolve(
    '@crosstalk/leak-hunter/scenario.schema.json'
  )
  expect(readFileSync(resolved, 'utf8')).toBe(readFileSync(SCHEMA_FILE, 'utf8'))
  const { version } = JSON.parse(
    readFileSync(repo('packages/leak-hunter/package.json'), 'utf8')
  ) as {
    version: string
  }
  // The id names the release line the file belongs to (0.1 for 0.1.x).
  expect(SCENARIO_SCHEMA_ID).toBe(
    `https://unpkg.com/@crosstalk/leak-hunter@${version.split('.').slice(0, 2).join('.')}/scenario.schema.json`
  )
  expect(schema).toMatchObject({ $id: SCENARIO_SCHEMA_ID })
})

/** A recorded browser session: a login form with a CSRF hidden input, then two pages. */
function harRecording(): string {
  const origin = 'http://127.0.0.1:8080'
  const entry = (
    method: string,
    path: string,
    status: number,
    body: string,
    post?: Record<string, string>
  ): object => ({
    startedDateTime: '2026-01-01T00:00:00.000Z',
    _resourceType: 'document',
    request: {
      method,
      url: `${origin}${path}`,
      headers: [{ name: 'user-agent', value: 'Chrome' }],
      ...(post === undefined
        ? {}
        : {
            postData: {
              mimeType: 'application/x-www-form-urlencoded',
              text: new URLSearchParams(post).toString(),
            },
          }),
    },
    response: {
      status,
      headers: [{ name: 'content-type', value: 'text/html' }],
      content: { mimeType: 'text/html', text: body },
    },
  })
  const token = 'Zm9vYmFy.c2lnbmF0dXJlMTIz'
  return JSON.stringify({
    log: {
      version: '1.2',
      entries: [
        entry(
          'GET',
          '/login',
          200,
          `<form><input type="hidden" name="_csrf" value="${token}"></form>`
        ),
        entry('POST', '/login', 303, '', { _csrf: token, username: 'ann', password: 'pw-Secret!' }),
        entry('GET', '/', 200, '<h1>Welcome, Ann</h1>'),
        entry('GET', '/settings', 200, '<p>settings</p>'),
      ],
    },
  })
}

test('every scenario in the repository passes the JSON Schema and the schema pass', async () => {
  const styles: LoginStyle[] = ['form', 'meta', 'cookie', 'bearer']
  const starter = (await initScenario()).scenarioYaml
  const har = join(mkdtempSync(join(tmpdir(), 'leak-hunter-schema-')), 'session.har')
  writeFileSync(har, harRecording())
  const imported = (await initScenario({ har })).scenarioYaml
  const scenarios: Array<[string, unknown]> = [
    ...['README.md', 'packages/leak-hunter/README.md'].flatMap(yamlBlocks),
    ...[
      'packages/leak-hunter/examples/homepage/scenario.yaml',
      'packages/leak-hunter/examples/github-actions/scenario.yaml',
      'demo/homepage-scenario.yaml',
    ].map((f): [string, unknown] => [f, parse(readFileSync(repo(f), 'utf8'))]),
    ...styles.map((s): [string, unknown] => [
      `login style ${s}`,
      scenarioFor(s, 'http://127.0.0.1:1', { vus: 2, duration: '1s' }),
    ]),
    ['hostile fixture', hostileScenario('http://127.0.0.1:1', [{ path: '/' }], { vus: 1 })],
    ['init starter', parse(starter)],
    ['init --har', parse(imported)],
    ['validate-scenario base', base()],
  ]
  // The two READMEs hold nine scenario blocks today: a regex that finds none must fail here.
  expect(scenarios.length).toBeGreaterThanOrEqual(9 + 3 + 4 + 4)
  for (const [where, scenario] of scenarios) {
    expect({ where, errors: ajvErrors(scenario) }).toEqual({ where, errors: [] })
    // Placeholders are expanded before the schema pass; the README's env example has some.
    if (!JSON.stringify(scenario).includes('{{env.')) {
      expect({ where, schemaPass: schemaPass(scenario) }).toEqual({ where, schemaPass: true })
    }
  }
})

/** Faults no JSON Schema can see: they need the accounts CSV, earlier steps, or parsing a value. */
const BEYOND_SCHEMA = [
  'variable used before extraction',
  'unknown account column',
  'bad selector',
  'bad regex',
  'regex group out of range',
  'bad JSON path',
  'marker column missing',
  'credential as marker',
  'think time max below min',
]

test('the JSON Schema refuses what the schema pass refuses, and only that', () => {
  const passed: string[] = []
  for (const [name, mutate, message] of INVALID_CASES) {
    const scenario = base()
    mutate(scenario)
    const byValibot = !schemaPass(scenario)
    const byAjv = ajvErrors(scenario).length > 0
    expect({ name, message, byAjv }).toEqual({ name, message, byAjv: byValibot })
    if (!byAjv) {
      passed.push(name)
    }
  }
  expect(passed).toEqual(BEYOND_SCHEMA)
})

test('a {{env.NAME}} placeholder may stand where a pattern or a fixed value is asked', () => {
  const scenario = {
    ...base(),
    target: '{{env.HUNT_TARGET}}',
    order: '{{env.ORDER}}',
    load: { duration: '{{ env.DURATION }}' },
  }
  expect(ajvErrors(scenario)).toEqual([])
  expect(ajvErrors({ ...scenario, target: '{{env.1X}}' })).not.toEqual([])
  // A placeholder method may turn out POST: its form is no GET body until the value is known.
  const login = base().login as Array<Record<string, unknown>>
  login[1]!.method = '{{env.LOGIN_METHOD}}'
  expect(ajvErrors({ ...scenario, login })).toEqual([])
  login[1]!.method = 'get'
  expect(ajvErrors({ ...scenario, login })).toEqual([
    '/login/1 must NOT be valid',
    '/login/1 must match "then" schema',
  ])
})

test('every field of the schema says what it is for (the hover text editors show)', () => {
  const undocumented: string[] = []
  const walk = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object') {
      return
    }
    const o = node as Record<string, unknown>
    for (const [name, field] of Object.entries((o.properties ?? {}) as Record<string, unknown>)) {
      if (field !== true && (field as { description?: string }).description === undefined) {
        undocumented.push(`${at}.${name}`)
      }
    }
    for (const [key, child] of Object.entries(o)) {
      // Rules (allOf) restate fields to constrain them; they are documented where defined.
      if (key !== 'allOf') {
        for (const c of Array.isArray(child) ? child : [child]) {
          walk(c, key === 'properties' || key === 'items' ? at : `${at}/${key}`)
        }
      }
    }
  }
  walk(schema, '')
  expect(undocumented).toEqual([])
})
