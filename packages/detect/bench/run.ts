// npm run bench -w @crosstalk/detect
// 1. Rebuild: a live index of 10,000 and 100,000 identities rebuilt in the background after 256
//    changes, in slices on the main thread and in a worker thread, against the baseline of building
//    the same index at once on the main thread. Each run in a fresh process (bench/rebuild-child.ts),
//    modes interleaved per round, medians; ratios against the baseline of the same round.
// 2. Scanning a live index mid-change against one built at once, and the cost of a change.
// 3. The rescan's byte comparison 8, 4 and 1 bytes at a time, next to the cached scan.
// Writes docs/benchmarks.md. Env: BENCH_ROUNDS (3), BENCH_SIZES (10000,100000), BENCH_WRITE=0.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import type { RebuildResult } from './rebuild-child.js'
import { measureCompareCost } from './compare-run.js'
import { measureScanCost } from './scan-cost.js'
import { measureServerScan } from './scan-in-server.js'
import { median } from './median.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number)
const MODES = ['sync', 'slices', 'worker'] as const

async function rebuild(n: number, mode: string): Promise<RebuildResult> {
  const entry = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url))
  const child = fork(entry, [String(n), mode], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
    stdio: 'inherit',
  })
  const exited = once(child, 'exit')
  const [result] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`rebuild child exited with ${String(code)}`)
    }),
  ])) as [RebuildResult]
  await exited
  return result
}

const f0 = (v: number): string => v.toFixed(0)
const f1 = (v: number): string => v.toFixed(1)
const f2 = (v: number): string => v.toFixed(2)

async function main(): Promise<void> {
  const rebuildLines: string[] = []
  for (const n of SIZES) {
    const runs: Record<string, RebuildResult[]> = { sync: [], slices: [], worker: [] }
    for (let round = 0; round < ROUNDS; round++) {
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!)
      for (const mode of order) {
        const r = await rebuild(n, mode)
        runs[mode]!.push(r)
        console.log(
          `${n} ${mode}: wall ${f0(r.wallMs)} ms, main ${f0(r.mainMs)} ms, loaded wall ${f0(r.loadedWallMs)} ms, longest gap ${f1(r.maxGapMs)} ms, ${r.scans} scans, RSS ${f0(r.rssBeforeMb)} -> ${f0(r.rssPeakMb)} MB, index ${f1(r.indexMb)} MB`
        )
      }
    }
    const ratio = (mode: string, key: keyof RebuildResult): number =>
      median(runs[mode]!.map((r, i) => (r[key] as number) / (runs.sync![i]![key] as number)))
    for (const mode of MODES) {
      const rs = runs[mode]!
      const m = (key: keyof RebuildResult): number => median(rs.map((r) => r[key] as number))
      const vs = (key: keyof RebuildResult): string =>
        mode === 'sync' ? '1' : f2(ratio(mode, key))
      rebuildLines.push(
        `| ${n.toLocaleString('en')} | ${mode === 'sync' ? 'at once (baseline)' : mode} | ${f0(m('wallMs'))} ms (${vs('wallMs')}x) | ${f0(m('mainMs'))} ms (**${vs('mainMs')}x**) | ${f0(m('loadedWallMs'))} ms (${vs('loadedWallMs')}x) | ${f1(m('maxGapMs'))} ms (**${vs('maxGapMs')}x**) | ${f0(m('scans'))} | ${f1(m('indexMb'))} MB | +${f0(median(rs.map((r) => r.rssPeakMb - r.rssBeforeMb)))} MB |`
      )
    }
  }
  const scanLines: string[] = []
  for (const n of SIZES) {
    const c = await measureScanCost(n, ROUNDS < 3 ? 3 : ROUNDS)
    const line = `| ${n.toLocaleString('en')} | ${f2(c.builtUs)} µs | ${f2(c.liveUs)} µs (**${f2(c.liveUs / c.builtUs)}x**) | ${f0(c.changeUs)} µs |`
    console.log(line)
    scanLines.push(line)
  }
  const cc = measureCompareCost(10_000, Math.max(ROUNDS, 5))
  const us = (v: number): string => `${f2(v)} µs (${f0((100 * v) / cc.scanUs)} % of the scan)`
  const compareLine = `| ${cc.pageBytes} B | ${f2(cc.scanUs)} µs | ${us(cc.compareUs.native)} | ${us(cc.compareUs.loop)} |`
  console.log(compareLine)
  const server = measureServerScan(Math.max(ROUNDS, 5))
  const serverLine = `| ${f2(server.hotUs)} µs | ${f2(server.coldUs)} µs (**${f1(server.coldUs / server.hotUs)}x**) | ${f2(server.warmedUs)} µs (${f1(server.warmedUs / server.hotUs)}x) |`
  console.log(serverLine)
  if (process.env.BENCH_WRITE !== '0') {
    const file = new URL('../docs/benchmarks.md', import.meta.url)
    await mkdir(new URL('.', file), { recursive: true })
    const options = (await prettier.resolveConfig(file)) ?? {}
    const doc = await prettier.format(render(rebuildLines, scanLines, compareLine, serverLine), {
      ...options,
      parser: 'markdown',
    })
    await writeFile(file, doc, 'utf8')
  }
}

function render(
  rebuildLines: string[],
  scanLines: string[],
  compareLine: string,
  serverLine: string
): string {
  return `# @crosstalk/detect benchmarks

Produced by \`npm run bench -w @crosstalk/detect\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)},
Node ${process.version}, ${cpus().length} CPUs shared with other work (load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} when the run ended), so absolute figures are noisy; the ratios are what count.

## Rebuilding a live index without stalling requests

Each row is the median of ${ROUNDS} runs, each in a fresh process running the built package
(bench/rebuild-child.ts), the three ways interleaved per round. A live index of _n_ identities (name
and e-mail as free text, user id as an id marker; test/fixtures/identities.ts) gets 256 new
identities, which starts a rebuild of its base; the time runs until the rebuilt base is in use
(\`settled()\`). The baseline builds the same index at once on the main thread, as a plain
\`buildIndex()\` would. After a warm-up rebuild (which also starts the worker), one rebuild is timed
on a quiet event loop, then one while a request loop scans a 2 KB page with the current snapshot on
every turn of the event loop: the longest gap between two turns is the longest a request waits for
the rebuild. Ratios are against the baseline of the same round.

| identities | how | until swapped in (quiet) | main thread busy (quiet) | until swapped in (requests) | longest gap between requests | scans meanwhile | index tables | peak RSS growth (requests) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rebuildLines.join('\n')}

- **Main thread busy** is the event loop's active time during the quiet rebuild: what the rebuild
  takes from requests. In a worker, the main thread only sends each change as it is made (the
  worker keeps its own copy of the identities), copies the list of identities and wraps the
  transferred tables (the automaton derives a few small ones).
- **Peak RSS growth** includes the old and the new index side by side until the swap, and in
  worker mode the worker's own heap (since its copy of the identities, also between rebuilds).
- **Index tables** include, since 2026-12-03, the markers' words as 16-bit hashes (word-set.ts,
  for answering a body that differs from its page's last one only in tokens): about 2 MB at
  100,000 identities, whose made-up names and e-mails bring five distinct words each. Building
  them takes 100-160 ms of a 1.5-1.7 s build of 100,000 (measured apart under Vitest).

## Scanning mid-change, and what a change costs

bench/scan-cost.ts: CPU per scan of the page (owner's name, e-mail and id, one other identity's
name) with a live index holding a base of _n_ identities, 200 set since (one run), 10 more (the
small run) and 100 removed, against an index built at once from the same identities; same process,
interleaved, medians. A change is \`set()\` of a new identity plus the next read of \`current\`
(which builds the small run it goes into).

| identities | built at once | live, mid-change | one change |
| --- | --- | --- | --- |
${scanLines.join('\n')}

## Comparing a body with its page's last one

bench/compare-run.ts: a rescan (ScanCache) of the bench page with 10,000 identities, where each
fetch brings a new CSRF token near the start, of another length than the last one's (so that the
body is rescanned rather than answered with the last result), against the comparison the rescan
makes of the page with its last copy (up to the token, then from past it to the end): natively
compared spans, halved until the difference is near (\`commonRun\`), and a loop over the bytes.
Same process, interleaved rounds, medians. The native comparison stays while its saving is over
3 % of the rescan (the repository's rule for hot-path tricks).

| page | rescan | native spans (commonRun) | a loop over the bytes |
| --- | --- | --- | --- |
${compareLine}

## A cached scan in a server

bench/scan-in-server.ts: the bench page of 200 sessions at 10,200 identities, a new token of the
same length in each body, scanned through a ScanCache as @crosstalk/guard does (so each body is
answered with its page's last result: compared natively with the kept body outside the token's
run, checked inside it); wall time of the scan alone, medians of interleaved rounds. Hot: back to
back. Cold: 16 MB of other memory read before each scan (a server's other work between two
responses). Warmed: cold, then another session's page scanned just before, which brings back the
code and the shared tables but not this session's kept scan.

| hot | cold | cold, code and shared tables warmed |
| --- | --- | --- |
${serverLine}

In a server the scan costs several times what a loop shows, and most of the difference is code and
shared tables brought back into the caches, not the bytes scanned: what the guard adds to the
homepage per response (packages/guard/docs/benchmarks.md) follows the cold figure, not the hot one.
Before bodies that differ only in tokens were answered with the last result, every such body was
rescanned around its token: 2.83 µs hot, 20.43 µs cold and 9.39 µs warmed (2026-12-02).
`
}

await main()
