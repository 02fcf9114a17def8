import type { RowSummary, Spread } from './summarize.js'

export interface ReportContext {
  command: string
  date: string
  machine: string
  node: string
  packages: string
  method: string
  load: string
}

function ratioText(s: Spread | undefined): string {
  return s ? `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : 'n/a'
}

function countText(s: Spread | undefined): string {
  const n = (v: number): string => Math.round(v).toLocaleString('en-US')
  return s ? `${n(s.median)} (${n(s.min)}–${n(s.max)})` : 'n/a'
}

function numberText(v: number | undefined, digits: number): string {
  return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits)
}

function goalText(row: RowSummary): string {
  const goal = row.scenario.goal
  if (goal === undefined) {
    return ''
  }
  if (!row.ratio) {
    return `≥ ${goal.toFixed(2)}: not measured`
  }
  return `≥ ${goal.toFixed(2)}: ${row.ratio.median >= goal ? 'met' : '**missed**'}`
}

// Is each ipc-rpc row ahead of every peer on the same transport and depth (by median ratio)?
function peerVerdicts(rows: readonly RowSummary[]): string[] {
  const lines: string[] = []
  for (const row of rows) {
    if (row.scenario.goal === undefined || !row.ratio) {
      continue
    }
    // Peers are the other libraries: not a limit, and not one of ipc-rpc's own rows.
    const peers = rows.filter(
      (p) =>
        !p.scenario.target.startsWith('ipc-rpc') &&
        !p.scenario.isLimit &&
        p.scenario.transport === row.scenario.transport &&
        p.scenario.depth === row.scenario.depth &&
        p.ratio
    )
    const best = peers.reduce<RowSummary | undefined>(
      (a, b) => (a && a.ratio!.median >= b.ratio!.median ? a : b),
      undefined
    )
    if (best) {
      const ahead = row.ratio.median > best.ratio!.median
      lines.push(
        `- ${row.scenario.what} (${row.scenario.transport}, ${row.scenario.depth} in flight): ` +
          `${row.ratio.median.toFixed(2)} vs best peer ${best.scenario.what} ` +
          `${best.ratio!.median.toFixed(2)}: ${ahead ? 'ahead' : '**not ahead**'}`
      )
    }
  }
  return lines
}

export function renderReport(rows: readonly RowSummary[], ctx: ReportContext): string {
  const out: string[] = []
  out.push(`Command: \`${ctx.command}\``, '')
  out.push(`Date: ${ctx.date}. Machine: ${ctx.machine}. Node ${ctx.node}. ${ctx.packages}.`, '')
  out.push(ctx.method, '')
  out.push(ctx.load, '')
  for (const transport of ['process', 'thread'] as const) {
    const title = transport === 'process' ? 'child_process IPC' : 'worker_threads'
    out.push(`### ${title} (limit: raw hand-written Map on the same transport, same round)`, '')
    out.push(
      '| what | configuration | in flight | ratio to limit, median (min–max) | req/s, median (min–max) | p50 µs | p99 µs | cores | CPU µs/call | CPU/call vs limit | target |'
    )
    out.push('|---|---|---|---|---|---|---|---|---|---|---|')
    for (const row of rows.filter((r) => r.scenario.transport === transport)) {
      const s = row.scenario
      const what = row.error && !row.reqPerSec ? `${s.what} (failed, see notes)` : s.what
      out.push(
        `| ${what} | ${s.configuration} | ${s.depth} | ${ratioText(row.ratio)} | ` +
          `${countText(row.reqPerSec)} | ${numberText(row.p50Us, 0)} | ${numberText(row.p99Us, 0)} | ` +
          `${numberText(row.cores, 2)} | ${numberText(row.cpuUsPerCall, 1)} | ` +
          `${ratioText(row.cpuRatio)} | ${goalText(row)} |`
      )
    }
    out.push('')
  }
  const verdicts = peerVerdicts(rows)
  if (verdicts.length > 0) {
    out.push('Against the peers (median ratio to the same limit):', '', ...verdicts, '')
  }
  const failures = rows.filter((r) => r.error !== undefined)
  if (failures.length > 0) {
    out.push('Failures:', '')
    for (const row of failures) {
      const firstLine = row.error!.split('\n')[0] ?? ''
      out.push(`- ${row.scenario.id}: ${firstLine}`)
    }
    out.push('')
  }
  return out.join('\n')
}
