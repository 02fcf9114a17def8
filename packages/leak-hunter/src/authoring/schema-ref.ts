// What a scenario written by init puts in `$schema`: the installed package's scenario.schema.json
// by a path relative to the file (editors read it offline, at the installed version), else the URL.
import { existsSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { SCENARIO_SCHEMA_ID } from '../scenario/scenario-schema.js'

const INSTALLED = join('node_modules', '@crosstalk', 'leak-hunter', 'scenario.schema.json')

/** The `$schema` of a scenario file in `dir`: found as Node finds a package, up from `dir`. */
export function schemaRef(dir: string | undefined): string {
  for (let d = dir; d !== undefined; d = dirname(d) === d ? undefined : dirname(d)) {
    if (existsSync(join(d, INSTALLED))) {
      const path = relative(dir!, join(d, INSTALLED)).split(sep).join('/')
      return path.startsWith('.') ? path : `./${path}`
    }
  }
  return SCENARIO_SCHEMA_ID
}

/** The comment above `$schema`: VS Code's YAML extension reads the modeline, JetBrains the key. */
export function schemaComment(ref: string): string {
  return `Editors complete and check this file with its JSON Schema (VS Code: the YAML extension).\nyaml-language-server: $schema=${ref}`
}
