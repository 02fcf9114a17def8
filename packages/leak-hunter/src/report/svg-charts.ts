import { escapeHtml } from './html-escape.js'
import { formatInt, formatMs } from './format.js'
import type { TimelinePoint } from './types.js'

// Hand-drawn inline SVG: no chart library, no script, nothing fetched. Each chart carries
// data-chart and data-points so tests (and curious readers) can check what it drew.

const W = 720
const H = 240
const PAD = { left: 56, right: 56, top: 16, bottom: 36 }

function niceMax(value: number): number {
  if (value <= 0) {
    return 1
  }
  const pow = 10 ** Math.floor(Math.log10(value))
  const step = [1, 2, 2.5, 5, 10].find((m) => m * pow >= value) ?? 10
  return step * pow
}

function axisLabels(
  max: number,
  x: number,
  anchor: 'end' | 'start',
  cls: string,
  fmt: (n: number) => string = formatInt
): string {
  return [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = PAD.top + (1 - f) * (H - PAD.top - PAD.bottom)
      return `<text class="${cls}" x="${x}" y="${(y + 4).toFixed(1)}" text-anchor="${anchor}">${fmt(max * f)}</text>`
    })
    .join('')
}

function gridLines(): string {
  return [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = (PAD.top + (1 - f) * (H - PAD.top - PAD.bottom)).toFixed(1)
      return `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/>`
    })
    .join('')
}

/** Requests per second (line), errors (line) and leaking responses (bars, right axis) per second of the run. */
export function timelineChart(timeline: readonly TimelinePoint[]): string {
  const n = timeline.length
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const maxReq = niceMax(Math.max(0, ...timeline.map((p) => Math.max(p.requests, p.errors))))
  // A multiple of 4 so the quarter ticks of the leak axis are whole leaks.
  const maxLeak = Math.max(
    4,
    Math.ceil(Math.max(0, ...timeline.map((p) => p.leakingResponses)) / 4) * 4
  )
  const x = (i: number): number => PAD.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW)
  const yReq = (v: number): number => PAD.top + (1 - v / maxReq) * plotH
  const path = (pick: (p: TimelinePoint) => number): string =>
    timeline
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${yReq(pick(p)).toFixed(1)}`)
      .join(' ')
  const barW = Math.max(2, Math.min(12, plotW / Math.max(1, n) - 1))
  const bars = timeline
    .map((p, i) => {
      if (p.leakingResponses === 0) {
        return ''
      }
      const h = (p.leakingResponses / maxLeak) * plotH
      return `<rect class="leak-bar" x="${(x(i) - barW / 2).toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"><title>second ${p.second}: ${p.leakingResponses} leaking responses</title></rect>`
    })
    .join('')
  const last = timeline[n - 1]?.second ?? 0
  const body =
    n === 0
      ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no requests recorded</text>`
      : `${bars}<path class="line-req" d="${path((p) => p.requests)}"/><path class="line-err" d="${path((p) => p.errors)}"/>`
  return `<svg class="chart" data-chart="timeline" data-points="${n}" viewBox="0 0 ${W} ${H}" role="img" aria-label="requests per second and leaks over time">
<title>Requests per second, errors and leaks over time</title>
${gridLines()}${axisLabels(maxReq, PAD.left - 6, 'end', 'axis')}${axisLabels(maxLeak, W - PAD.right + 6, 'start', 'axis leak-axis')}
<text class="axis" x="${PAD.left}" y="${H - 10}">0 s</text><text class="axis" x="${W - PAD.right}" y="${H - 10}" text-anchor="end">${escapeHtml(last)} s</text>
${body}
</svg>`
}

/** Latency (ms) by percentile; x is log-scaled on 1/(1-p) so the tail gets room. */
export function latencyChart(points: ReadonlyArray<{ percentile: number; ms: number }>): string {
  const data = points.filter((p) => p.percentile > 0 && p.percentile < 100 && Number.isFinite(p.ms))
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const tail = (p: number): number => Math.log10(1 / (1 - p / 100))
  const maxX = Math.max(tail(99.99), ...data.map((p) => tail(p.percentile)))
  const maxY = niceMax(Math.max(0, ...data.map((p) => p.ms)))
  const x = (p: number): number => PAD.left + (tail(p) / maxX) * plotW
  const y = (ms: number): number => PAD.top + (1 - ms / maxY) * plotH
  const d = data
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.percentile).toFixed(1)},${y(p.ms).toFixed(1)}`)
    .join(' ')
  const dots = data
    .map(
      (p) =>
        `<circle class="dot" cx="${x(p.percentile).toFixed(1)}" cy="${y(p.ms).toFixed(1)}" r="3"><title>p${escapeHtml(p.percentile)}: ${formatMs(p.ms)} ms</title></circle>`
    )
    .join('')
  const ticks = [0, 50, 90, 99, 99.9, 99.99]
    .map(
      (p) =>
        `<text class="axis" x="${x(p).toFixed(1)}" y="${H - 10}" text-anchor="middle">p${p}</text>`
    )
    .join('')
  const body =
    data.length === 0
      ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no latency recorded</text>`
      : `<path class="line-lat" d="${d}"/>${dots}`
  return `<svg class="chart" data-chart="latency" data-points="${data.length}" viewBox="0 0 ${W} ${H}" role="img" aria-label="latency percentiles">
<title>Latency by percentile (ms)</title>
${gridLines()}${axisLabels(maxY, PAD.left - 6, 'end', 'axis', formatMs)}${ticks}
${body}
</svg>`
}
