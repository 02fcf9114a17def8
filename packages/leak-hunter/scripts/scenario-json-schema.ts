// scenario.schema.json from the validator's own schema (src/scenario/scenario-schema.ts): the file
// editors read is the schema the validator runs first, converted. `npm run schema` writes it;
// test/scenario-json-schema.test.ts fails when the committed file differs from this output.
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { toJsonSchema } from '@valibot/to-json-schema'
import type { JsonSchema } from '@valibot/to-json-schema'
import { format, resolveConfig } from 'prettier'
import { SCENARIO_SCHEMA_ID, scenarioSchema } from '../src/scenario/scenario-schema.js'

export const SCHEMA_FILE = fileURLToPath(new URL('../scenario.schema.json', import.meta.url))

/**
 * `{{env.NAME}}` is expanded before validation, so in the file as written a string with a pattern
 * or a fixed set of values may hold a placeholder instead (`target: '{{env.HUNT_TARGET}}'`).
 * Property names are never expanded and keep their patterns.
 */
const PLACEHOLDER: JsonSchema = {
  type: 'string',
  pattern: '\\{\\{\\s*env\\.[A-Za-z_][A-Za-z0-9_]*\\s*\\}\\}',
}
const PLACEHOLDER_REF = { $ref: '#/definitions/envPlaceholder' }

/** Whether a placeholder could fail this string schema as written. */
function refusesPlaceholder(schema: Record<string, unknown>): boolean {
  return (
    schema.type === 'string' &&
    ('enum' in schema ||
      (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test('{{env.NAME}}')))
  )
}

function allowPlaceholders(node: unknown, isName = false): unknown {
  if (Array.isArray(node)) {
    return node.map((n) => allowPlaceholders(n))
  }
  if (node === null || typeof node !== 'object') {
    return node
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps names to schemas; its keys are no schema keywords.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([k, s]) => [k, allowPlaceholders(s)])
          )
        : // A rule's condition tests the file as written: a placeholder just does not match it.
          key === 'if'
          ? value
          : allowPlaceholders(value, key === 'propertyNames')
  }
  if (isName || !refusesPlaceholder(out)) {
    return out
  }
  const { description, examples, default: fallback, ...rule } = out
  return {
    ...(description === undefined ? {} : { description }),
    ...(examples === undefined ? {} : { examples }),
    ...(fallback === undefined ? {} : { default: fallback }),
    anyOf: [rule, PLACEHOLDER_REF],
  }
}

/**
 * The converter reads a pipe up to its second schema or its first transformation, silently: a
 * check placed after either would be in the validator and not in the file. Refuse such a pipe.
 */
function checkPipes(node: unknown, at: string, seen = new Set<unknown>()): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) {
    return
  }
  seen.add(node)
  const o = node as Record<string, unknown>
  if (Array.isArray(o.pipe)) {
    const items = (o.pipe as Array<{ kind: string; type: string }>).flatMap(
      function flat(item): Array<{ kind: string; type: string }> {
        const inner = (item as { pipe?: unknown }).pipe
        return Array.isArray(inner) ? (inner as typeof items).flatMap(flat) : [item]
      }
    )
    const stop = items.findIndex(
      (item, i) => i > 0 && item.kind !== 'metadata' && item.kind !== 'validation'
    )
    const after = stop < 0 ? [] : items.slice(stop)
    if (after.some((item) => item.kind === 'validation' || item.kind === 'schema')) {
      throw new Error(`${at}: a check after a transformation or a second schema is not exported`)
    }
  }
  for (const [key, value] of Object.entries(o)) {
    if (key !== '~standard' && key !== 'reference' && key !== 'message') {
      for (const child of Array.isArray(value) ? value : [value]) {
        checkPipes(child, `${at}.${key}`, seen)
      }
    }
  }
}

export function scenarioJsonSchema(): JsonSchema {
  checkPipes(scenarioSchema, 'scenario')
  const converted = toJsonSchema(scenarioSchema, {
    target: 'draft-07',
    // The input a file holds, before the validator turns "30s" into 30000.
    typeMode: 'input',
    // Anything the converter cannot state is a build error, never a silently weaker schema...
    errorMode: 'throw',
    // ...except that numbers be finite, which JSON and YAML numbers in a file always are.
    ignoreActions: ['finite'],
    // A check across fields (fields.ts `rule`) carries the keywords that state it.
    // In an allOf, so that two rules using one keyword (`dependencies`) do not overwrite each other.
    overrideAction: ({ valibotAction, jsonSchema }) =>
      'jsonSchema' in valibotAction
        ? {
            ...jsonSchema,
            allOf: [...(jsonSchema.allOf ?? []), valibotAction.jsonSchema as JsonSchema],
          }
        : undefined,
  })
  const { $schema, ...schema } = allowPlaceholders(converted) as JsonSchema
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'leak-hunter scenario',
    ...schema,
    definitions: { envPlaceholder: PLACEHOLDER },
  }
}

export async function scenarioJsonSchemaText(): Promise<string> {
  // Formatted as the repository's Prettier would, so `npm run format` leaves the file alone.
  const options = await resolveConfig(SCHEMA_FILE)
  return format(JSON.stringify(scenarioJsonSchema()), { ...options, filepath: SCHEMA_FILE })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SCHEMA_FILE, await scenarioJsonSchemaText())
  console.log(`wrote ${SCHEMA_FILE}`)
}
