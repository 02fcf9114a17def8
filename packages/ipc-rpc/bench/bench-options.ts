import { parseArgs } from 'node:util'

export interface BenchOptions {
  rounds: number
  warmupSeconds: number
  seconds: number
  only: string[]
  out: string | undefined
  profile: boolean
}

const usage = `usage: npm run bench -w @crosstalk/ipc-rpc -- [options]
  --rounds N     interleaved rounds (default 5)
  --seconds S    measured window per scenario (default 1.25)
  --warmup S     warm-up before the window (default 0.5)
  --only a,b     only targets whose name contains one of these (limits are always kept)
  --out FILE     markdown file to update (default BENCHMARKS.md; --no-write to skip)
  --no-write     print only
  --profile      one round with --cpu-prof in the measuring process and its children, print the
                 hottest functions per scenario, write nothing (use with --only)
quick run: --rounds 3 --seconds 1 --warmup 0.3`

function positive(name: string, text: string, min: number): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`--${name} must be a number >= ${min}, got ${text}\n${usage}`)
  }
  return value
}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '1.25' },
      warmup: { type: 'string', default: '0.5' },
      only: { type: 'string', default: '' },
      out: { type: 'string', default: 'BENCHMARKS.md' },
      'no-write': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    return 'help'
  }
  return {
    rounds: values.profile ? 1 : Math.round(positive('rounds', values.rounds, 1)),
    seconds: positive('seconds', values.seconds, 0.1),
    warmupSeconds: positive('warmup', values.warmup, 0),
    only: values.only.split(',').filter((s) => s.length > 0),
    out: values['no-write'] || values.profile ? undefined : values.out,
    profile: values.profile,
  }
}
