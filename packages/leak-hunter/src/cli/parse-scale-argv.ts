// The arguments of the scale-out commands: `merge` (shard reports into one), and the two sides
// of a coordinated run, `coordinate` and `agent` (a run's flags, plus how they find each other).
import { ArgsInvalidError } from '../errors.js'
import { colorFlag, duration, positiveInt } from './parse-argv.js'
import type { CliRun } from './parse-argv.js'
import { asDurationMs } from '../scenario/fields.js'

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

/** How a coordinated run's two sides find each other; undefined fields come from the environment. */
export interface CliLink {
  redis: string | undefined
  runId: string | undefined
  waitMs: number | undefined
  heartbeatTimeoutMs: number | undefined
}

export interface CliCoordinate extends Omit<CliRun, 'command'>, CliLink {
  command: 'coordinate'
  agents: number | undefined
}

export interface CliAgent extends Omit<CliRun, 'command'>, CliLink {
  command: 'agent'
}

function durationMs(flag: string, value: string | undefined): number | undefined {
  const text = duration(flag, value)
  return text === undefined ? undefined : asDurationMs(text, `--${flag}`)
}

function link(v: Readonly<Record<string, unknown>>): CliLink {
  const str = (name: string): string | undefined => v[name] as string | undefined
  return {
    redis: str('redis'),
    runId: str('run-id'),
    waitMs: durationMs('wait', str('wait')),
    heartbeatTimeoutMs: durationMs('heartbeat-timeout', str('heartbeat-timeout')),
  }
}

export function parseCoordinate(v: Readonly<Record<string, unknown>>, run: CliRun): CliCoordinate {
  return {
    ...run,
    command: 'coordinate',
    ...link(v),
    agents: positiveInt('agents', v.agents as string | undefined),
  }
}

export function parseAgent(v: Readonly<Record<string, unknown>>, run: CliRun): CliAgent {
  return { ...run, command: 'agent', ...link(v) }
}
