// One clock for every process on a host: process.hrtime() reads the system's monotonic clock
// (CLOCK_MONOTONIC on Linux, mach_absolute_time on macOS, QueryPerformanceCounter on Windows),
// which all processes share, unlike performance.now() (counted from each process's own start) and
// unlike Date.now() (which NTP may step). performance.now() is that clock less a constant per
// process, so the offset is measured once and each reading costs one performance.now().
import { performance } from 'node:perf_hooks'

function hrtimeMs(): number {
  const [s, ns] = process.hrtime()
  return s * 1000 + ns / 1e6
}

/** hostNow() - performance.now(), measured as the tightest of a few paired readings. */
function measureOffset(): number {
  let best = Infinity
  let offset = 0
  for (let i = 0; i < 16; i++) {
    const before = performance.now()
    const host = hrtimeMs()
    const after = performance.now()
    if (after - before < best) {
      best = after - before
      offset = host - (before + after) / 2
    }
  }
  return offset
}

const OFFSET = measureOffset()

/** Milliseconds on the host's monotonic clock (same value in every process at the same moment). */
export function hostNow(): number {
  return performance.now() + OFFSET
}

/** A performance.now() reading of this process on the host clock. */
export function toHostTime(performanceNow: number): number {
  return performanceNow + OFFSET
}
