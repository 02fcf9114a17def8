import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { buildIndex } from '../index/build-index.js'
import { snapshotOf } from '../index/snapshot.js'
import { Pass, normalizeInto, runPass } from '../pass/normalize-pass.js'
import type { PassHooks } from '../pass/normalize-pass.js'
import { UnitBuffer } from '../text/unit-buffer.js'
import { PageScan, commonRun } from './page-scan.js'
import { Rescanner } from './rescan.js'

// A rescan must give exactly what a full pass gives, whatever changed between two bodies and
// wherever: the pieces below put escapes, whitespace runs, comments, multi-byte and NFC text and
// markers next to each other, so that edits land inside and across all of them.
const identities = ['Ann Lee', 'Ann Leeds', 'Bo', 'Zoë Ng', 'Éa Ba'].map((name, i) => ({
  id: `u${i}`,
  markers: { name, email: `${name.split(' ')[0]?.toLowerCase()}${i}@x.io` },
}))
const index = buildIndex(identities, {
  columns: ['name', 'email'],
  caseInsensitive: true,
  minLength: 2,
})
const { automaton } = snapshotOf(index).layers[0]!.index

const common = fc.constantFrom(
  'Ann',
  ' Lee',
  'Ann Lee',
  'Ann Leeds',
  'ann lee',
  'Bo',
  'Zo&euml; Ng',
  'Zoë',
  '\\u00c9a Ba',
  'ann0@x.io',
  'bo2@x.io',
  ' ',
  '   ',
  '\n\t',
  '&nbsp;',
  '\u00a0',
  '\u3000',
  '\u3001',
  '\u200b',
  '&amp;',
  '&#39;',
  '&#x41;nn',
  '&am',
  '&',
  '&#x',
  'CounterClockwiseContourIntegral',
  'NewLine',
  ';',
  '\\u00',
  'c9',
  '\\"',
  '\\',
  '<!-- -->',
  '<!--',
  '-->',
  '<p>',
  '</p>',
  'lorem ipsum dolor',
  'x',
  '€',
  '😀'
)
// Rare, or nearly every body would hold one: text that NFC changes (then nothing is reused), and a
// lone combining mark that composes with whatever an edit puts before it.
const piece = fc.oneof(
  { arbitrary: common, weight: 600 },
  { arbitrary: fc.constantFrom('Zoe\u0301', '\u0301'), weight: 1 }
)
const pieces = fc.array(piece, { minLength: 0, maxLength: 300, size: 'max' })

/** Edits: replace a run of pieces at a position by other pieces (insert, delete or change). */
const edit = fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.array(piece, { maxLength: 6 }))

function applyEdits(base: readonly string[], edits: Array<[number, number, string[]]>): string[] {
  const out = [...base]
  for (const [at, remove, insert] of edits) {
    const pos = out.length === 0 ? 0 : at % (out.length + 1)
    out.splice(pos, remove, ...insert)
  }
  return out
}

/** A full pass's state at every whitespace-run end: byte offset → [units, state, candidates]. */
function fullStates(bytes: Buffer): Map<number, [number, number, number]> {
  const states = new Map<number, [number, number, number]>()
  const pass = new Pass()
  pass.start(bytes, true, new UnitBuffer(8), automaton)
  const hooks: PassHooks = {
    next: 0,
    at(i, k, s) {
      states.set(i, [k, s, pass.found.count])
      return false
    },
  }
  pass.hooks = hooks
  runPass(pass)
  return states
}

function expectSameAsFullPass(scan: PageScan, bytes: Buffer): void {
  const full = new UnitBuffer(8)
  const pass = new Pass()
  const onePass = normalizeInto(bytes, full, pass, { decode: true, automaton })
  if (!onePass) {
    automaton.pass(full, pass.found)
  }
  const pairs = [...pass.found.pairs.subarray(0, pass.found.count)]
  expect(scan.text.toString()).toBe(full.toString())
  expect([...scan.found.pairs.subarray(0, scan.found.count)]).toEqual(pairs)
  expect(automaton.finish(scan.found, scan.text)).toEqual(automaton.finish(pass.found, full))
  expect(scan.reusable).toBe(onePass)
  if (onePass) {
    const states = fullStates(bytes)
    const got: Array<[number, number, number] | undefined> = []
    const want: number[][] = []
    for (let c = 0; c < scan.cpCount; c++) {
      const [i, k, s, cc] = scan.cps.subarray(c * 4, c * 4 + 4)
      got.push(states.get(i as number))
      want.push([k as number, s as number, cc as number])
    }
    // One comparison per body: one per checkpoint took most of the test's time.
    expect(got).toEqual(want)
  }
}

describe('rescan', () => {
  test.each([0, 8, 64])(
    'a chain of edited bodies rescans to what a full pass gives (checkpoints every %i bytes)',
    (spacing) => {
      const rescanner = new Rescanner(spacing)
      let total = 0
      let scanned = 0
      fc.assert(
        fc.property(
          pieces,
          fc.array(fc.array(edit, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
          (first, rounds) => {
            let parts: string[] = first
            let prev = new PageScan()
            let work = new PageScan()
            let bytes = Buffer.from(parts.join(''))
            rescanner.scan(undefined, prev, bytes, automaton)
            expectSameAsFullPass(prev, bytes)
            for (const edits of rounds) {
              parts = applyEdits(parts, edits)
              bytes = Buffer.from(parts.join(''))
              const before = rescanner.scannedBytes
              const result = rescanner.scan(prev, work, bytes, automaton)
              scanned += rescanner.scannedBytes - before
              total += bytes.length
              expectSameAsFullPass(result, bytes)
              // An unchanged body returns the last scan itself.
              const same = prev.reusable && bytes.equals(prev.bytes.subarray(0, prev.size))
              expect(result).toBe(same ? prev : work)
              if (result === work) {
                ;[prev, work] = [work, prev]
              }
            }
          }
        ),
        { numRuns: Number(process.env.FC_RUNS ?? 300) }
      )
      // Not vacuous: rescans copied much of what they did not have to scan again.
      expect(scanned).toBeLessThan(total * 0.75)
    }
  )

  test('scans only around a change, and nothing for an unchanged body', () => {
    const rescanner = new Rescanner()
    const page = (token: string, stamp: string): Buffer =>
      Buffer.from(
        `<meta name="csrf" content="${token}">\n` +
          '<p>lorem ipsum dolor sit amet, consectetur adipiscing elit</p>\n'.repeat(30) +
          `<h1>Welcome, Ann Lee</h1>\n<footer>served at ${stamp}</footer>\n`
      )
    const a = new PageScan()
    const b = new PageScan()
    rescanner.scan(undefined, a, page('0f3a', '12:00:01'), automaton)
    const full = rescanner.scannedBytes
    rescanner.scan(a, b, page('9c1b', '12:00:02'), automaton)
    const rescanned = rescanner.scannedBytes - full
    expectSameAsFullPass(b, page('9c1b', '12:00:02'))
    // Two changes, each rescanned from a checkpoint before it to one after it.
    expect(rescanned).toBeGreaterThan(0)
    expect(rescanned).toBeLessThan(full / 4)
    expect(rescanner.scan(b, a, page('9c1b', '12:00:02'), automaton)).toBe(b)
    expect(rescanner.scannedBytes - full - rescanned).toBe(0)
  })

  // The pass reads past a whitespace-run end only to see what ends the run (up to 3 bytes of one
  // character) and, after `<!--`, to look for `-->`; escapes read ahead to decide too: a change
  // there must send the rescan back before the checkpoint.
  test.each([
    ['a comment closed by the change', '<!--   --x', '<!--   -->'],
    ['a comment opened by the change', '<!--   x->', '<!--   -->'],
    [
      'a long comment closed by the change',
      '<!--' + ' '.repeat(20) + '--x',
      '<!--' + ' '.repeat(20) + '-->',
    ],
    ['a whitespace run lengthened', 'Ann   Lee', 'Ann   \tLee'],
    ['an entity completed', 'Ann &amp Lee', 'Ann &amp; Lee'],
    ['the longest entity completed', 'Ann&NewLine Lee', 'Ann&NewLine;Lee'],
    [
      'a name too long for an entity ended',
      'Ann&' + 'x'.repeat(40) + ';',
      'Ann&' + 'x'.repeat(30) + ';',
    ],
    ['a numeric reference completed', 'Ann&#x0000041 Lee', 'Ann&#x000041; Lee'],
    ['a JSON escape completed', 'Ann\\u00c Lee', 'Ann\\u00c9 Lee'],
    // U+3001 and U+3000 differ in their third byte; only the second is a space.
    ['a multi-byte space completed', 'Ann \u3001Lee', 'Ann \u3000Lee'],
  ])('rescans what %s changes before it', (_, before, after) => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(12)
    for (const spacing of [0, 8, 64]) {
      const rescanner = new Rescanner(spacing)
      const a = new PageScan()
      const b = new PageScan()
      rescanner.scan(undefined, a, Buffer.from(filler + before + filler), automaton)
      const bytes = Buffer.from(filler + after + filler)
      rescanner.scan(a, b, bytes, automaton)
      expectSameAsFullPass(b, bytes)
    }
  })

  test('a scan made with another automaton (a swapped index) is not reused', () => {
    const other = snapshotOf(buildIndex(identities, { columns: ['name'] })).layers[0]!.index
      .automaton
    const rescanner = new Rescanner()
    const a = new PageScan()
    const b = new PageScan()
    const bytes = Buffer.from('Hello Ann Lee, ann0@x.io')
    rescanner.scan(undefined, a, bytes, other)
    const before = rescanner.scannedBytes
    expect(rescanner.scan(a, b, bytes, automaton)).toBe(b)
    expect(rescanner.scannedBytes - before).toBe(bytes.length)
    expectSameAsFullPass(b, bytes)
  })

  test('commonRun compares bytes, not numbers: +0 and -0 differ, NaN equals itself', () => {
    const double = (v: number): Buffer => {
      const b = Buffer.alloc(8)
      b.writeDoubleLE(v)
      return b
    }
    const run = (x: Buffer[], y: Buffer[]): number => {
      const a = new PageScan()
      const b = new PageScan()
      a.setBytes(Buffer.concat(x))
      b.setBytes(Buffer.concat(y))
      return commonRun(a, 0, b, 0)
    }
    const ones = Buffer.alloc(16, 1)
    // -0 differs from +0 in its last byte, the sign.
    expect(run([ones, double(0), ones], [ones, double(-0), ones])).toBe(16 + 7)
    // NaN never equals itself as a double, but its bytes do.
    expect(run([ones, double(NaN), ones], [ones, double(NaN), ones])).toBe(40)
    // Wherever the zero falls among the doubles compared together, next to anything (Infinity
    // times zero is NaN, not zero).
    const wide = Buffer.alloc(64, 1)
    for (let at = 0; at < 8; at++) {
      const before = [Buffer.alloc(8 * at, 1), double(Infinity)]
      expect(run([...before, double(0), wide], [...before, double(-0), wide])).toBe(8 * at + 15)
      expect(run([...before, double(-0), wide], [...before, double(-0), wide])).toBe(8 * at + 80)
    }
  })

  test('commonRun counts equal bytes from two offsets, aligned or not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat({ max: 8 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (bytes, pad, i, j, change) => {
          const a = new PageScan()
          const b = new PageScan()
          a.setBytes(bytes)
          // b holds the same bytes after `pad` others, with one byte changed or none.
          const padded = Buffer.concat([Buffer.alloc(pad, 7), bytes])
          if (change && bytes.length > 0) {
            const at = pad + (j % bytes.length)
            padded[at] = ((padded[at] as number) + 1) & 0xff
          }
          b.setBytes(padded)
          const ai = bytes.length === 0 ? 0 : i % bytes.length
          let expected = 0
          while (ai + expected < a.size && a.bytes[ai + expected] === padded[pad + ai + expected]) {
            expected++
          }
          expect(commonRun(a, ai, b, pad + ai)).toBe(expected)
        }
      )
    )
  })
})
