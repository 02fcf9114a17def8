// `npm run demo`: catch the story's bug with the leak hunter, then show the fix holding.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { BUGGY, FAULTS, FIXED } from './demo-modes.js'
import { demoTable, describeEvidence, describeLeak } from './describe-demo.js'
import { stopAllHomepages } from './homepage-process.js'
import { runDemo } from './run-demo.js'
import type { ModeResult } from './run-demo.js'

const { values } = parseArgs({
  options: { all: { type: 'boolean', default: false }, vus: { type: 'string' } },
})
const tty = process.stdout.isTTY
const color = tty && process.env.NO_COLOR === undefined
const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
const bold = (t: string): string => paint('1', t)
const red = (t: string): string => paint('31', t)
const green = (t: string): string => paint('32', t)
const dim = (t: string): string => paint('2', t)

const controller = new AbortController()
let interrupted = false
const onSignal = (): void => {
  if (interrupted) {
    process.exit(130)
  }
  interrupted = true
  process.stderr.write('\ninterrupted: stopping servers and removing temporary files…\n')
  controller.abort()
  void stopAllHomepages()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

const reportsDir = resolve('demo-reports')
const modes = values.all ? [BUGGY, FIXED, ...FAULTS] : [BUGGY, FIXED]
const started = Date.now()
let progressShown = false

function clearProgress(): void {
  if (progressShown) {
    process.stdout.write('\r\x1b[2K')
    progressShown = false
  }
}

function printMode(result: ModeResult): void {
  const { mode, report, firstLeak } = result
  const s = report.summary
  console.log()
  console.log(
    bold(`${mode.label}: `) +
      `${s.requests} requests, ${s.responsesChecked} checked, ` +
      (s.leaks.responses > 0
        ? red(`${s.leaks.responses} leaking responses`)
        : green('0 leaking responses')) +
      `, ${s.leaks.affectedAccounts.length} accounts affected, ${s.errors} errors`
  )
  if (firstLeak !== undefined) {
    const ms = result.firstLeakAfterMs
    const when =
      ms === undefined
        ? ''
        : ms < 0
          ? ' (during login)'
          : ` after ${(ms / 1000).toFixed(1)} s of load`
    console.log(red(`  first leak${when}: ${describeLeak(firstLeak)}`))
    for (const line of describeEvidence(firstLeak)) {
      console.log(dim(`    ${line}`))
    }
  }
}

try {
  console.log(bold('crosstalk demo') + ": the story's bug, caught by the leak hunter, then fixed.")
  const results = await runDemo({
    modes,
    reportsDir,
    signal: controller.signal,
    ...(values.vus === undefined ? {} : { vus: Number(values.vus) }),
    onStage: (stage) => {
      clearProgress()
      console.log(dim(`• ${stage}`))
    },
    onProgress: (_mode, p) => {
      if (!tty) {
        return
      }
      process.stdout.write(
        `\r\x1b[2K  ${(p.elapsedMs / 1000).toFixed(1)} s  ${p.requests} requests  ${p.rps.toFixed(0)} req/s  ` +
          `${p.responsesChecked} checked  ${p.leakingResponses} leaking  ${p.errors} errors`
      )
      progressShown = true
    },
  })
  clearProgress()
  for (const result of results) {
    printMode(result)
  }
  console.log()
  console.log(demoTable(results))
  console.log()
  console.log('HTML reports:')
  for (const r of results) {
    console.log(`  ${r.mode.label.padEnd(28)} ${r.htmlReport}`)
  }
  console.log(dim(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`))
  const buggyCaught = results[0] !== undefined && results[0].report.summary.leaks.responses > 0
  const fixHeld = results.every((r) => r.mode.leaky || r.report.summary.leaks.responses === 0)
  process.exitCode = buggyCaught && fixHeld ? 0 : 1
} catch (err) {
  clearProgress()
  if (interrupted) {
    process.exitCode = 130
  } else {
    console.error(err)
    process.exitCode = 1
  }
} finally {
  await stopAllHomepages()
}
