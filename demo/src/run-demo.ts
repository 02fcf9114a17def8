// The demo's logic, without printing: seed accounts, then hunt each homepage configuration.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderHtmlReport, runHunt } from '@crosstalk/leak-hunter'
import type { Finding, HuntReport, ProgressSnapshot } from '@crosstalk/leak-hunter'
import type { DemoMode } from './demo-modes.js'
import { seedAccounts, startHomepage } from './homepage-process.js'

export const SCENARIO_FILE = fileURLToPath(new URL('../homepage-scenario.yaml', import.meta.url))

export interface DemoOptions {
  modes: readonly DemoMode[]
  /** Virtual users per hunt. */
  vus?: number
  /** Upper bound of the first hunt; later hunts run as long as the first one did. */
  boundMs?: number
  /** A leaky hunt stops this long after its first leak, to count a few more. */
  afterFirstLeakMs?: number
  seed?: string
  users?: number
  renderers?: number
  /** Where the HTML reports go; they are kept, everything else is temporary. */
  reportsDir: string
  signal?: AbortSignal
  onStage?(stage: string): void
  onProgress?(mode: DemoMode, progress: ProgressSnapshot): void
}

export interface ModeResult {
  mode: DemoMode
  report: HuntReport
  firstLeak: Finding | undefined
  /** Milliseconds from the start of the load phase to the first leak (negative: during login). */
  firstLeakAfterMs: number | undefined
  htmlReport: string
  /** How long the load phase ran. */
  loadMs: number
}

export const DEMO_DEFAULTS = {
  vus: 32,
  boundMs: 8_000,
  afterFirstLeakMs: 2_000,
  seed: 'crosstalk-demo',
  users: 200,
  renderers: 2,
}

export async function runDemo(options: DemoOptions): Promise<ModeResult[]> {
  const o = { ...DEMO_DEFAULTS, ...options }
  const work = await mkdtemp(join(tmpdir(), 'crosstalk-demo-'))
  try {
    const db = join(work, 'homepage.db')
    const accounts = join(work, 'accounts.csv')
    o.onStage?.(`seeding ${o.users} accounts`)
    await seedAccounts({ users: o.users, db, accounts, seed: 7 })
    await mkdir(o.reportsDir, { recursive: true })
    const results: ModeResult[] = []
    let durationMs = o.boundMs
    for (const mode of o.modes) {
      o.signal?.throwIfAborted()
      const result = await huntMode(mode, { ...o, db, accounts, durationMs })
      results.push(result)
      if (results.length === 1) {
        // The same time for every later hunt, so the rows compare like with like.
        durationMs = Math.max(1_000, result.loadMs)
      }
    }
    return results
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

async function huntMode(
  mode: DemoMode,
  o: Required<Omit<DemoOptions, 'signal' | 'onStage' | 'onProgress'>> &
    Pick<DemoOptions, 'signal' | 'onStage' | 'onProgress'> & {
      db: string
      accounts: string
      durationMs: number
    }
): Promise<ModeResult> {
  o.onStage?.(`starting homepage (${mode.label})`)
  const server = await startHomepage([
    '--db',
    o.db,
    '--renderers',
    String(o.renderers),
    '--production',
    ...mode.args,
  ])
  const stop = new AbortController()
  const abort = (): void => stop.abort()
  o.signal?.addEventListener('abort', abort, { once: true })
  let firstLeak: Finding | undefined
  let loadStartedAt: number | undefined
  let stopTimer: NodeJS.Timeout | undefined
  // A leak can already show during login (the verify page); stop only once load has run.
  const stopSoonOnceLoading = (): void => {
    if (firstLeak !== undefined && loadStartedAt !== undefined) {
      stopTimer ??= setTimeout(abort, o.afterFirstLeakMs)
    }
  }
  try {
    o.onStage?.(`hunting ${server.url} with ${o.vus} virtual users (${mode.label})`)
    const report = await runHunt(
      {
        scenario: SCENARIO_FILE,
        overrides: {
          target: server.url,
          accountsFile: o.accounts,
          vus: o.vus,
          duration: o.durationMs,
          seed: o.seed,
        },
      },
      {
        signal: stop.signal,
        onProgress: (p) => o.onProgress?.(mode, p),
        onEvent: (event) => {
          if (event.type === 'load-start') {
            loadStartedAt = Date.parse(event.t)
          } else if (event.type === 'finding' && event.finding.severity === 'leak') {
            firstLeak ??= event.finding
          }
          stopSoonOnceLoading()
        },
      }
    )
    const loadMs = loadStartedAt === undefined ? 0 : Date.now() - loadStartedAt
    const htmlReport = join(o.reportsDir, `${mode.id}.html`)
    await writeFile(htmlReport, renderHtmlReport(report))
    return {
      mode,
      report,
      firstLeak,
      firstLeakAfterMs:
        firstLeak === undefined || loadStartedAt === undefined
          ? undefined
          : Date.parse(firstLeak.time) - loadStartedAt,
      htmlReport,
      loadMs,
    }
  } finally {
    clearTimeout(stopTimer)
    o.signal?.removeEventListener('abort', abort)
    await server.stop()
  }
}
