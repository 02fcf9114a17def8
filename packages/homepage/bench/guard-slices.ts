// The guard switched on and off in one server, in short alternating slices, for guard-ab.ts. The
// server's CPU per request with and without the guard is then read seconds apart at most, in one
// process with one heap and one JIT, so that a shared host's slow and fast phases (tens of
// seconds, and as much as 1.5x apart) weigh on both sides of each pair alike.
import type { Guard } from '@crosstalk/guard'

export interface Slice {
  /** The guard checked the responses of this slice. */
  on: boolean
  /** The server process's CPU time (user + system, all threads) in the slice, µs. */
  cpuUs: number
  /** Pages asked for (the home route names its owner once per request). */
  requests: number
  /** Bodies the guard scanned. */
  scanned: number
}

/**
 * `guard` with its identify() switched off in every other slice of `sliceMs`: a response nobody
 * was identified for is not checked (the guard's hooks still run, and count it anonymous). With
 * `control`, the guard stays on in every slice (an A/A run: the method's own spread, which should
 * centre on 1).
 */
export function alternateGuard(
  guard: Guard,
  sliceMs: number,
  control = false
): { guard: Guard; start(): void; stop(): Slice[] } {
  let on = true
  let requests = 0
  let timer: NodeJS.Timeout | undefined
  let slices: Slice[] = []
  let cpuAt = 0
  let scannedAt = 0
  const reading = () => {
    const { user, system } = process.cpuUsage()
    return { cpuUs: user + system, scanned: guard.stats().scanned }
  }
  const close = () => {
    const now = reading()
    slices.push({ on, cpuUs: now.cpuUs - cpuAt, requests, scanned: now.scanned - scannedAt })
    cpuAt = now.cpuUs
    scannedAt = now.scanned
    requests = 0
  }
  return {
    guard: {
      ...guard,
      identify: (request, identity) => {
        requests++
        if (on || control) {
          guard.identify(request, identity)
        }
      },
    },
    start() {
      slices = []
      on = true
      requests = 0
      ;({ cpuUs: cpuAt, scanned: scannedAt } = reading())
      timer = setInterval(() => {
        close()
        on = !on
      }, sliceMs)
    },
    stop() {
      clearInterval(timer)
      close()
      on = true
      return slices
    },
  }
}
