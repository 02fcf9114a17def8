// Number and text formatting shared by the terminal and HTML reports (locale-independent output).

export function formatInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Milliseconds with 3 significant digits, e.g. 0.412, 12.3, 1,234. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) {
    return '-'
  }
  if (ms >= 1000) {
    return formatInt(ms)
  }
  return Number(ms.toPrecision(3)).toString()
}

export function formatRate(rate: number): string {
  if (rate === 0) {
    return '0%'
  }
  const pct = rate * 100
  return `${pct >= 1 ? pct.toFixed(2) : Number(pct.toPrecision(2)).toString()}%`
}

export function formatDuration(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/**
 * Makes page text safe to print: control characters (ESC would let a page drive the terminal)
 * become visible escapes, and the U+0000 allowlist mask becomes a middle dot.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\u0000' ? '·' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  )
}

export const VERDICT_TITLES: Record<string, string> = {
  clean: 'CLEAN: no leak found',
  leak: 'LEAK FOUND',
  'threshold-breached': 'THRESHOLD BREACHED',
  'login-failed': 'LOGIN FAILED',
  'target-unreachable': 'TARGET UNREACHABLE',
}
