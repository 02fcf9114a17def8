// The scenario file's schema: one definition for the validator's first pass and for the JSON
// Schema editors read (scenario.schema.json, written by scripts/scenario-json-schema.ts).
import * as v from 'valibot'
import { anyCase, duration, nonEmpty, stringList, strict, text, oneOf } from './fields.js'
import { allowlistSchema } from './parse-allowlist.js'
import { markersSchema } from './parse-markers.js'
import { describe } from './problems.js'
import { loginSchema, pagesSchema } from './step-schema.js'
import { loadSchema } from './validate-load.js'
import { thresholdsSchema } from './validate-thresholds.js'

/**
 * The published schema's `$id`: where npm's CDN serves the file of this package's 0.1 line. A
 * change to the scenario format that breaks old files bumps it with the package version.
 */
export const SCENARIO_SCHEMA_ID =
  'https://unpkg.com/@crosstalk/leak-hunter@0.1/scenario.schema.json'

const target = v.pipe(
  // The protocol pattern implies a non-empty string (JSON Schema holds one pattern per string).
  text(
    'Base URL (http: or https:). Only this origin is ever requested; a path prefix is prepended to every step path'
  ),
  v.regex(
    new RegExp(`^\\s*${anyCase('http')}[Ss]?:`),
    (i) => `expected an http: or https: URL such as http://127.0.0.1:3000, got ${describe(i.input)}`
  )
)

const accounts = strict(
  {
    file: nonEmpty('CSV with a header row; relative to the scenario file'),
    id: v.optional(nonEmpty('Column naming accounts in reports; default the first column')),
    credentials: v.optional(
      stringList('Secret columns: never markers, redacted from every output'),
      []
    ),
  },
  'The accounts the virtual users log in as'
)

const order = v.optional(
  v.pipe(
    v.picklist(['weighted', 'sequence'], (i) =>
      typeof i.input === 'string'
        ? `expected "weighted" or "sequence", got ${describe(i.input)}`
        : `expected a string, got ${describe(i.input)}`
    ),
    v.metadata({ description: 'weighted: one page per iteration, by weight; sequence: every page' })
  ),
  'weighted'
)

const thinkTime = v.optional(
  oneOf(
    [
      duration({ aboveZero: false }),
      strict({
        min: v.optional(duration({ aboveZero: false, doc: 'Shortest pause' }), 0),
        max: v.optional(duration({ aboveZero: false, doc: 'Longest pause; default min' })),
      }),
    ],
    (i) => `expected a duration or { min, max }, got ${describe(i.input)}`
  )
)

export const scenarioSchema = strict(
  {
    $schema: v.optional(
      text(`The JSON Schema of this file, for editors: ${SCENARIO_SCHEMA_ID} or a path to it`)
    ),
    name: v.optional(text('Shown in reports')),
    description: v.optional(text('For the reader')),
    target,
    accounts,
    markers: markersSchema,
    allowlist: v.optional(
      allowlistSchema('What legitimately shows other users on every response, login steps included')
    ),
    login: loginSchema,
    pages: pagesSchema,
    order,
    thinkTime: v.pipe(
      thinkTime,
      v.metadata({
        description: 'Pause after each page: a duration (50ms) or { min, max } from the seeded RNG',
      })
    ),
    load: v.optional(loadSchema),
    thresholds: v.optional(thresholdsSchema, {}),
  },
  'A leak-hunter scenario: log every virtual user in, load pages, check each response for its owner and nobody else'
)

export type ScenarioFile = v.InferOutput<typeof scenarioSchema>
