#!/usr/bin/env node
// The `leak-hunter` bin: run the CLI, set the exit code. Ctrl-C once stops the run and reports.
import { dropOutputWhenReaderGoes } from './closed-pipe.js'
import { EXIT_ABORTED, runCli } from './run-cli.js'

dropOutputWhenReaderGoes(process.stdout)
dropOutputWhenReaderGoes(process.stderr)

const controller = new AbortController()
let interrupted = false
process.on('SIGINT', () => {
  if (interrupted) {
    process.exit(EXIT_ABORTED)
  }
  interrupted = true
  process.stderr.write('\nleak-hunter: stopping (Ctrl-C again to quit now)\n')
  controller.abort()
})

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
})
