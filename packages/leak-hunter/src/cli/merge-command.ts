// `leak-hunter merge shard-*.json`: the shards' reports read, checked and merged into the report of
// the whole run, written like a run's (--json, --html, --junit, --sarif, the summary), exit code
// of its verdict.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { MergeInvalidError } from '../errors.js'
import { checkShards, mergeShards } from '../scale/merge-shards.js'
import type { CliMerge } from './parse-scale-argv.js'
import type { CliIo } from './run-cli.js'
import { writeReports } from './run-cli.js'

async function readReport(file: string, cwd: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (err) {
    throw new MergeInvalidError(`${file}: cannot read: ${(err as Error).message}`, { cause: err })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new MergeInvalidError(`${file}: not JSON: ${(err as Error).message}`, { cause: err })
  }
}

export async function runMerge(cli: CliMerge, io: CliIo): Promise<number> {
  const reports = await Promise.all(cli.files.map((f) => readReport(f, io.cwd)))
  return writeReports(mergeShards(checkShards(reports, cli.files)), cli, io)
}
