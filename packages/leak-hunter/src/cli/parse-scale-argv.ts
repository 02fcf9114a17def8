// The arguments of the scale-out commands: `merge` (shard reports into one).
import { ArgsInvalidError } from '../errors.js'
import { colorFlag } from './parse-argv.js'

export interface CliMerge {
  command: 'merge'
  files: string[]
  json: string | undefined
  html: string | undefined
  junit: string | undefined
  sarif: string | undefined
  color: boolean | undefined
}

export function parseMerge(v: Readonly<Record<string, unknown>>, args: string[]): CliMerge {
  if (args.length === 0) {
    throw new ArgsInvalidError(
      "merge needs the shards' JSON reports: leak-hunter merge shard-1.json shard-2.json ... (written by run --shard I/N --json FILE)"
    )
  }
  const str = (name: string): string | undefined => v[name] as string | undefined
  return {
    command: 'merge',
    files: args,
    json: str('json'),
    html: str('html'),
    junit: str('junit'),
    sarif: str('sarif'),
    color: colorFlag(v),
  }
}
