// ScanCache.heldBytes is what its budget bounds: it must be what the cache holds, measured in a
// process of its own, whether a group keeps one page or many, with few matches or many.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import type { MemoryCase } from './fixtures/scan-cache-memory.js'

const script = fileURLToPath(new URL('./fixtures/scan-cache-memory.ts', import.meta.url))

async function measure(
  c: MemoryCase
): Promise<{ held: number; measured: number; tokenChanges: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', script, JSON.stringify(c)],
    { timeout: 60_000 }
  )
  return JSON.parse(stdout) as { held: number; measured: number; tokenChanges: number }
}

describe('ScanCache.heldBytes against the memory it holds', () => {
  test.each([
    ['one page fetched once (noted, not kept)', { fetches: 1, pages: 1, ownerMarks: 0 }],
    ['one page kept, answered from its kept result', { fetches: 4, pages: 1, ownerMarks: 0 }],
    ['one page kept, with 40 more matches', { fetches: 3, pages: 1, ownerMarks: 40 }],
    ['three pages kept per group', { fetches: 3, pages: 3, ownerMarks: 0 }],
  ])('%s: within 20 %', async (_, c) => {
    const { held, measured, tokenChanges } = await measure(c)
    if (c.fetches > 2) {
      // The kept results were used: they are part of what is measured.
      expect(tokenChanges).toBeGreaterThan(0)
    }
    expect(held / measured).toBeGreaterThan(0.8)
    expect(held / measured).toBeLessThan(1.2)
  })
})
