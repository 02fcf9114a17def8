import { describe, expect, test } from 'vitest'
import { createProgressWriter } from './progress-line.js'
import type { ProgressSnapshot } from '../report/types.js'

function sink(isTTY: boolean): { chunks: string[]; write(c: string): boolean; isTTY: boolean } {
  const chunks: string[] = []
  return { chunks, isTTY, write: (c) => chunks.push(c) > 0 }
}

const at = (elapsedMs: number): ProgressSnapshot => ({
  elapsedMs,
  remainingMs: 10_000 - elapsedMs,
  requests: elapsedMs / 10,
  rps: 100,
  responsesChecked: elapsedMs / 10,
  leakingResponses: 0,
  warnings: 0,
  errors: 0,
})

describe('createProgressWriter', () => {
  test('on a TTY it rewrites one line with \\r and clears it at the end', () => {
    const s = sink(true)
    const w = createProgressWriter(s, { quiet: false })
    w.update(at(1000))
    w.update(at(2000))
    w.done()
    expect(s.chunks).toHaveLength(3)
    expect(s.chunks[0]).toMatch(/^\r100 req \(100\/s\)/)
    expect(s.chunks[0]).not.toContain('\n')
    expect(s.chunks[2]).toBe('\r\u001b[K')
  })

  test('off a TTY it prints plain lines at most every 5 s', () => {
    const s = sink(false)
    const w = createProgressWriter(s, { quiet: false })
    for (let ms = 1000; ms <= 9000; ms += 1000) {
      w.update(at(ms))
    }
    w.done()
    expect(s.chunks).toEqual([
      'progress: 100 req (100/s)  checked 100  leaking 0  errors 0  1s / 9s left\n',
      'progress: 600 req (100/s)  checked 600  leaking 0  errors 0  6s / 4s left\n',
    ])
  })

  test('quiet prints nothing', () => {
    const s = sink(true)
    const w = createProgressWriter(s, { quiet: true })
    w.update(at(1000))
    w.done()
    expect(s.chunks).toEqual([])
  })
})
