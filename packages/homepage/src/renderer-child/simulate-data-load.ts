import { setTimeout as sleep } from 'node:timers/promises'
import type { DelayRange, SlowRender } from '../render-contract/renderer-config.js'

export type DataLoad = (signal: AbortSignal | undefined) => Promise<void>

// Stands in for the data loading a real renderer awaits; the await is where interleaving happens.
// The render count lives in this closure (one per handler), not in module scope.
export function createDataLoad(range: DelayRange | null, slow: SlowRender | null): DataLoad {
  let renders = 0
  return async (signal) => {
    renders += 1
    const ms =
      slow !== null && renders % slow.every === 0
        ? slow.ms
        : range === null
          ? 0
          : range.min + Math.random() * (range.max - range.min)
    if (ms > 0 || range !== null) {
      await sleep(ms, undefined, signal === undefined ? {} : { signal })
    }
  }
}
