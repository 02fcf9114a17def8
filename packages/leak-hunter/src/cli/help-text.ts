// `leak-hunter --help`, rendered from the flag table so that no flag can be left out.
import { FLAGS } from './flags.js'
import type { FlagSection, FlagSpec } from './flags.js'

const SECTIONS: ReadonlyArray<[FlagSection, string]> = [
  ['load', "Load (run: override the scenario's load section)"],
  ['quick', 'Target and accounts (run without a scenario file: the built-in form login)'],
  ['scale', 'Scale out (README "Scale out")'],
  ['init', 'Init (write a starter scenario and the accounts CSV header)'],
  ['output', 'Output'],
  ['general', 'General'],
]

/** Every exit code the bin can return, in the order of the README table. */
export const EXIT_CODE_HELP: ReadonlyArray<[number, string]> = [
  [0, 'no leak (verdict clean); init: the files were written'],
  [1, 'leak found: more leaking responses than thresholds.leaks'],
  [2, 'invalid scenario, accounts, recording or arguments; nothing was sent'],
  [3, 'target unreachable, or no VU could log in (init --target: the page could not be fetched)'],
  [4, 'a performance threshold was breached (latency percentile or error rate)'],
  [5, 'inconclusive: too many errors or unread responses to say clean (thresholds.inconclusive)'],
  [130, 'interrupted (Ctrl-C once: the run stops and the reports are written; twice: quit now)'],
]

const WIDTH = 100
const COLUMN = 24

function label(f: FlagSpec): string {
  const long = `--${f.name}${f.value === undefined ? '' : ` ${f.value}`}`
  return f.short === undefined ? long : `-${f.short}, ${long}`
}

/** `left` padded to the column, `text` wrapped at WIDTH with continuation lines indented. */
function row(left: string, text: string, column = COLUMN): string {
  const lines: string[] = []
  let line = left.length + 2 >= column ? `${left}\n${' '.repeat(column)}` : left.padEnd(column)
  let room = WIDTH - column
  for (const word of text.split(' ')) {
    if (room - word.length < 0 && room < WIDTH - column) {
      lines.push(line.trimEnd())
      line = ' '.repeat(column)
      room = WIDTH - column
    }
    line += `${word} `
    room -= word.length + 1
  }
  lines.push(line.trimEnd())
  return lines.join('\n')
}

function render(): string {
  const out = [
    "leak-hunter: log in as many accounts at once and check every response for its owner's",
    "identity and for nobody else's.",
    '',
    'Usage',
    '  leak-hunter run <scenario.yaml|json> [flags]',
    '  leak-hunter run --target URL --accounts FILE --markers COLS [flags]',
    '  leak-hunter init [--target URL | --har FILE] [--out FILE] [--accounts FILE] [--force]',
    '  leak-hunter merge <shard.json>... [--json FILE] [--html FILE] [--junit FILE] [--sarif FILE]',
    '  leak-hunter coordinate <scenario.yaml> --redis URL --agents N [load and output flags]',
    '  leak-hunter agent <scenario.yaml> --redis URL [--workers N]',
  ]
  for (const [section, title] of SECTIONS) {
    out.push('', title)
    for (const f of FLAGS.filter((x) => x.section === section)) {
      out.push(row(`  ${label(f)}`, f.help))
    }
  }
  out.push('', 'Exit codes')
  for (const [code, text] of EXIT_CODE_HELP) {
    out.push(row(`  ${code}`, text, 8))
  }
  return `${out.join('\n')}\n`
}

export const HELP_TEXT = render()
