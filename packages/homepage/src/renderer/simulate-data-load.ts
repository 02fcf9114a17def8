import { setTimeout as sleep } from 'node:timers/promises'
import type { DelayRange } from './renderer-config.js'

// Stands in for the data loading a real renderer awaits; the await is where interleaving happens.
export async function simulateDataLoad(
  range: DelayRange | null,
  signal: AbortSignal | undefined
): Promise<void> {
  if (range === null) {
    return
  }
  const ms = range.min + Math.random() * (range.max - range.min)
  await sleep(ms, undefined, signal === undefined ? {} : { signal })
}
