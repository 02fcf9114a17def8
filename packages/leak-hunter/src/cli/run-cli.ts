// The CLI shell: parse, run, render, write files, and return the exit code. main.ts exits.
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { ArgsInvalidError, HuntError } from '../errors.js'
import { createEventWriter } from '../report/event-stream.js'
import type { EventWriter } from '../report/event-stream.js'
import { renderHtmlReport } from '../report/html-report.js'
import { renderJunitReport } from '../report/junit-report.js'
import { renderSarifReport } from '../report/sarif-report.js'
import { renderTerminalReport } from '../report/terminal-report.js'
import type { HuntReport } from '../report/types.js'
import { runHunt } from '../run-hunt.js'
import { resolveShard } from '../scale/shard.js'
import type { HuntHooks, HuntOptions } from '../run-hunt.js'
import type { ScenarioInput } from '../scenario/load-scenario.js'
import { HELP_TEXT } from './help-text.js'
import { runInit } from './init-command.js'
import { runAgentCommand, runCoordinate } from './linked-commands.js'
import { runMerge } from './merge-command.js'
import type { CliAgent, CliCoordinate } from './parse-scale-argv.js'
import { parseArgv, quickScenario } from './parse-argv.js'
import type { CliRun } from './parse-argv.js'
import { createProgressWriter, useColor } from './progress-line.js'
import type { ProgressStream } from './progress-line.js'

export interface CliIo {
  stdout: ProgressStream
  stderr: ProgressStream
  env: NodeJS.ProcessEnv
  cwd: string
  /** Aborted on Ctrl-C: the run stops and reports what it found so far. */
  signal?: AbortSignal
}

/** Errors that mean "fix your scenario or flags": exit code 2. */
const INPUT_ERRORS = new Set([
  'HUNT_ERR_ARGS_INVALID',
  'HUNT_ERR_SCENARIO_INVALID',
  'HUNT_ERR_SCENARIO_READ',
  'HUNT_ERR_ACCOUNTS_INVALID',
  'HUNT_ERR_NOT_ENOUGH_ACCOUNTS',
  'HUNT_ERR_MARKERS_INVALID',
  'HUNT_ERR_MERGE_INVALID',
  'HUNT_ERR_COORDINATION',
  'HUNT_ERR_HAR_INVALID',
  'HUNT_ERR_ENV_MISSING',
  // Not input, nor a bug of ours: the system would not start the worker processes.
  'HUNT_ERR_WORKERS_START',
])

export const EXIT_INVALID = 2
export const EXIT_UNREACHABLE = 3
export const EXIT_ABORTED = 130

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseArgv(argv)
    switch (command.command) {
      case 'help':
        io.stdout.write(HELP_TEXT)
        return 0
      case 'version':
        io.stdout.write(`${readVersion()}\n`)
        return 0
      case 'run':
        return await run(command, io)
      case 'init':
        return await runInit(command, io)
      case 'merge':
        return await runMerge(command, io)
      case 'coordinate':
        return await runCoordinate(command, io)
      case 'agent':
        return await runAgentCommand(command, io)
    }
  } catch (err) {
    if (err instanceof HuntError) {
      io.stderr.write(`leak-hunter: ${err.code}: ${err.message}\n`)
      if (err.code === 'HUNT_ERR_ABORTED') {
        return EXIT_ABORTED
      }
      if (err.code === 'HUNT_ERR_TARGET_UNREACHABLE' || err.code === 'HUNT_ERR_REDIS_UNREACHABLE') {
        return EXIT_UNREACHABLE
      }
      if (!INPUT_ERRORS.has(err.code)) {
        io.stderr.write('leak-hunter: this is a bug in leak-hunter, please report it\n')
      }
      return EXIT_INVALID
    }
    io.stderr.write(`leak-hunter: internal error: ${(err as Error).stack ?? String(err)}\n`)
    return EXIT_INVALID
  }
}

/** The scenario a run's flags name: its file, or the built-in form login. */
export function scenarioInput(cli: CliRun | CliCoordinate | CliAgent, io: CliIo): ScenarioInput {
  return cli.scenarioFile !== undefined
    ? { scenario: cli.scenarioFile, overrides: cli.overrides, env: io.env }
    : {
        scenario: quickScenario(cli.quick!),
        baseDir: io.cwd,
        overrides: cli.overrides,
        env: io.env,
      }
}

async function run(cli: CliRun, io: CliIo): Promise<number> {
  const shard = resolveShard(cli.shard, cli.shards, io.env)
  const options: HuntOptions = {
    ...scenarioInput(cli, io),
    workers: cli.workers,
    ...(shard === undefined ? {} : { shard }),
    ...(cli.abortOnFail ? { abortOnFail: true } : {}),
  }
  return huntAndReport(cli, io, (hooks) => runHunt(options, hooks))
}

/** Runs a hunt with progress, events and a warning for ambiguous markers; writes its reports. */
export async function huntAndReport(
  cli: CliRun | CliCoordinate,
  io: CliIo,
  hunt: (hooks: HuntHooks) => Promise<HuntReport>
): Promise<number> {
  const progress = createProgressWriter(io.stderr, { quiet: cli.quiet })
  let events: EventWriter | undefined
  try {
    events = cli.events === undefined ? undefined : await openEvents(cli.events)
    const report = await hunt({
      onStart: ({ ambiguities }) => {
        if (ambiguities.length > 0 && !cli.quiet) {
          const list = ambiguities
            .slice(0, 5)
            .map((a) => `"${a.marker}" (${a.accounts.join(', ')})`)
          const more = ambiguities.length > 5 ? ` and ${ambiguities.length - 5} more` : ''
          io.stderr.write(
            `warning: ${ambiguities.length} marker(s) shared by several accounts cannot be told apart: ${list.join('; ')}${more}\n`
          )
        }
      },
      onProgress: (p) => progress.update(p),
      ...(events === undefined ? {} : { onEvent: (e) => events!.write(e) }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    })
    progress.done()
    return await writeReports(report, cli, io)
  } finally {
    progress.done()
    await events?.close()
  }
}

/** Every output asked for, then the summary on stdout; returns the verdict's exit code. */
export async function writeReports(
  report: HuntReport,
  cli: Pick<CliRun, 'json' | 'html' | 'junit' | 'sarif' | 'color'>,
  io: CliIo
): Promise<number> {
  if (cli.json !== undefined) {
    await writeOutput(cli.json, `${JSON.stringify(report, null, 2)}\n`, '--json')
  }
  if (cli.html !== undefined) {
    await writeOutput(cli.html, renderHtmlReport(report), '--html')
  }
  if (cli.junit !== undefined) {
    await writeOutput(cli.junit, renderJunitReport(report), '--junit')
  }
  if (cli.sarif !== undefined) {
    await writeOutput(cli.sarif, renderSarifReport(report, readVersion()), '--sarif')
  }
  io.stdout.write(
    renderTerminalReport(report, { color: useColor(cli.color, io.stdout.isTTY, io.env) })
  )
  return report.exitCode
}

async function openEvents(path: string): Promise<EventWriter> {
  try {
    return await createEventWriter(path)
  } catch (err) {
    throw new ArgsInvalidError(`--events ${path}: cannot open: ${(err as Error).message}`)
  }
}

async function writeOutput(path: string, text: string, flag: string): Promise<void> {
  try {
    await writeFile(path, text)
  } catch (err) {
    throw new ArgsInvalidError(`${flag} ${path}: cannot write: ${(err as Error).message}`)
  }
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}
