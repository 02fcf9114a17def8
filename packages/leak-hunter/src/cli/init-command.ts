// `leak-hunter init`: write the scenario and the accounts CSV header, then say what was guessed.
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { initScenario } from '../authoring/init-scenario.js'
import { ArgsInvalidError } from '../errors.js'
import type { CliInit } from './parse-argv.js'
import type { CliIo } from './run-cli.js'

export async function runInit(cli: CliInit, io: CliIo): Promise<number> {
  const toStdout = cli.out === '-'
  const scenarioPath = resolve(io.cwd, cli.out)
  const accountsPath = isAbsolute(cli.accounts)
    ? cli.accounts
    : resolve(dirname(scenarioPath), cli.accounts)
  if (!toStdout && !cli.force && existsSync(scenarioPath)) {
    throw new ArgsInvalidError(
      `${cli.out} exists: use --force to overwrite it, or --out another file`
    )
  }
  const result = await initScenario({
    ...(cli.target === undefined ? {} : { target: cli.target }),
    ...(cli.har === undefined ? {} : { har: resolve(io.cwd, cli.har) }),
    ...(cli.markers === undefined ? {} : { markers: cli.markers }),
    accountsFile: cli.accounts,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  })
  const report = toStdout ? io.stderr : io.stdout
  const lines: string[] = []
  if (toStdout) {
    io.stdout.write(result.scenarioYaml)
  } else {
    await write(scenarioPath, result.scenarioYaml, '--out')
    lines.push(`wrote ${cli.out}`)
    // Never overwrite an accounts file: it holds the user's test accounts.
    if (existsSync(accountsPath)) {
      lines.push(
        `kept the existing ${cli.accounts} (it needs the columns ${result.accountsCsv.trim()})`
      )
    } else {
      await write(accountsPath, result.accountsCsv, '--accounts')
      lines.push(
        `wrote ${cli.accounts} (header only: ${result.accountsCsv.trim()}); add one test account per virtual user`
      )
    }
  }
  if (!cli.quiet) {
    for (const t of result.trail) {
      lines.push(`probed: ${t}`)
    }
    for (const n of result.notes) {
      lines.push(`${n.kind === 'guessed' ? 'guessed' : 'check'}: ${n.text}`)
    }
    lines.push(
      `next: fill in ${cli.accounts}, check the guesses, then leak-hunter run ${toStdout ? '<scenario file>' : cli.out}`
    )
  }
  if (lines.length > 0) {
    report.write(`${lines.join('\n')}\n`)
  }
  return 0
}

async function write(path: string, text: string, flag: string): Promise<void> {
  try {
    await writeFile(path, text)
  } catch (err) {
    throw new ArgsInvalidError(`${flag} ${path}: cannot write: ${(err as Error).message}`)
  }
}
