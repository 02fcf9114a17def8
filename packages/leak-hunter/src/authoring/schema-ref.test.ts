import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { SCENARIO_SCHEMA_ID } from '../scenario/scenario-schema.js'
import { schemaRef } from './schema-ref.js'

test('$schema is the installed schema relative to the scenario, else the published URL', () => {
  const root = mkdtempSync(join(tmpdir(), 'leak-hunter-schema-ref-'))
  const project = join(root, 'app')
  const pkg = join(project, 'node_modules', '@crosstalk', 'leak-hunter')
  mkdirSync(pkg, { recursive: true })
  mkdirSync(join(project, 'hunts', 'nightly'), { recursive: true })
  expect(schemaRef(project)).toBe(SCENARIO_SCHEMA_ID)
  writeFileSync(join(pkg, 'scenario.schema.json'), '{}')
  expect(schemaRef(project)).toBe('./node_modules/@crosstalk/leak-hunter/scenario.schema.json')
  expect(schemaRef(join(project, 'hunts', 'nightly'))).toBe(
    '../../node_modules/@crosstalk/leak-hunter/scenario.schema.json'
  )
  expect(schemaRef(root)).toBe(SCENARIO_SCHEMA_ID)
  expect(schemaRef(undefined)).toBe(SCENARIO_SCHEMA_ID)
})
