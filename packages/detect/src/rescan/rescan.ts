// Incremental detection. A caller that fetches a page again mostly gets the same bytes (its own
// name, the same template) and a few that change (a CSRF token, a timestamp, a counter). A pass
// over a body leaves checkpoints: its state at whitespace-run ends, every CHECKPOINT_SPACING bytes
// or so. The next body of that page is compared with the last one, 8 or 4 bytes at a time. Where
// the bytes are equal, the last pass's output between two checkpoints is copied. Only the bytes
// around a difference are normalised and scanned, until the pass's state matches a checkpoint of
// the last pass again. The text and the candidates are exactly those of a full pass
// (rescan.property.test.ts).
import type { Automaton } from '../automaton/automaton.js'
import { PASS_LOOKAHEAD, Pass, composeNfc, runPass } from '../pass/normalize-pass.js'
import type { PassHooks } from '../pass/normalize-pass.js'
import { CP, PageScan, commonRun } from './page-scan.js'

const EMPTY = new Uint8Array(0)

/** Bytes between a pass's checkpoints, at least: a smaller gap rescans less and stores more. */
export const CHECKPOINT_SPACING = 64

/**
 * Scans one body into a PageScan, reusing the last PageScan of the same (VU, page) when there is
 * one. Its at() is the pass's hook: it records checkpoints, and past a difference it stops the pass
 * where the state matches a checkpoint of the last body again.
 */
export class Rescanner implements PassHooks {
  next = Infinity
  /** Bytes normalised and scanned so far (the rest were copied): for tests and benchmarks. */
  scannedBytes = 0
  readonly #spacing: number
  readonly #pass = new Pass()
  #work = new PageScan()
  #prev: PageScan | undefined
  /** Byte offset of the work's last checkpoint. */
  #lastCp = 0
  /** A pass resyncs only at or past this byte offset of the new body (where it differs). */
  #after = Infinity
  /** Alignments (new offset minus old) tried for a resync, and each one's next old checkpoint. */
  readonly #shift = [0, 0]
  readonly #cursor = [0, 0]
  /** Where the last resync landed: the old checkpoint and the alignment. */
  #syncCp = -1
  #syncShift = 0

  constructor(spacing = CHECKPOINT_SPACING) {
    this.#spacing = spacing
  }

  /** Runs the pass from (x, k, s) over the rest of the work's bytes, stopping where at() syncs. */
  #run(x: number, k: number, s: number, folded: boolean): void {
    const pass = this.#pass
    pass.i = x
    pass.k = k
    pass.s = s
    pass.folded = folded
    runPass(pass)
  }

  /**
   * Scans `body` into `work`, from `prev` (the last body of the same VU and page) when there is
   * one scanned with the same automaton. Returns the scan of `body`: `prev` itself when the two
   * are equal byte for byte.
   */
  scan(
    prev: PageScan | undefined,
    work: PageScan,
    body: Uint8Array,
    automaton: Automaton
  ): PageScan {
    const n = body.length
    if (
      prev?.reusable === true &&
      prev.automaton === automaton &&
      prev.size === n &&
      prev.bytes.compare(body, 0, n, 0, n) === 0
    ) {
      // The same body byte for byte (one native compare): its scan stands as it is.
      return prev
    }
    const pass = this.#pass
    work.setBytes(body)
    work.text.length = 0
    work.cpCount = 0
    work.kept = undefined
    work.automaton = automaton
    // The pass records into the work's candidates (start() empties them), not the last scan's.
    pass.found = work.found
    pass.start(body, true, work.text, automaton)
    pass.hooks = this
    const out = pass.out
    this.#work = work
    this.#lastCp = 0
    this.#prev = prev?.reusable === true && prev.automaton === automaton ? prev : undefined
    this.#after = Infinity
    let k: number
    let nfc = false
    if (this.#prev === undefined) {
      this.#plan()
      this.#run(0, 0, 0, false)
      this.scannedBytes += n
      k = pass.k
      nfc = pass.nfc
    } else {
      const old = this.#prev
      // Synced: new offset x stands where old checkpoint `at` does (-1: both at the start).
      let x = 0
      let at = -1
      let shift = 0
      let s = 0
      k = 0
      for (;;) {
        const xOld = at < 0 ? 0 : (old.cps[at * CP] as number)
        const same = commonRun(work, x, old, xOld)
        const differsAt = x + same
        if (x + same === n && xOld + same === old.size) {
          k = this.#copy(old, at, -1, shift, out, k)
          break
        }
        // Copy up to the last old checkpoint whose state the equal bytes still decide.
        let to = at
        while (
          to + 1 < old.cpCount &&
          (old.cps[(to + 1) * CP] as number) + PASS_LOOKAHEAD <= xOld + same
        ) {
          to++
        }
        if (to > at) {
          k = this.#copy(old, at, to, shift, out, k)
          at = to
          x = (old.cps[to * CP] as number) + shift
          s = old.cps[to * CP + 2] as number
        }
        this.#after = differsAt
        this.#shift[0] = shift
        this.#shift[1] = n - old.size
        this.#cursor[0] = this.#cursor[1] = at + 1
        this.#plan()
        this.#run(x, k, s, at >= 0)
        this.scannedBytes += pass.i - x
        nfc ||= pass.nfc
        k = pass.k
        if (pass.i >= n) {
          break
        }
        x = pass.i
        s = pass.s
        at = this.#syncCp
        shift = this.#syncShift
      }
    }
    work.text.length = k
    // Copied text may compose with what the pass wrote next to it: check when either may.
    nfc ||= this.#prev?.composes === true
    work.composes = nfc
    if (nfc && composeNfc(work.text)) {
      automaton.pass(work.text, work.found)
      work.reusable = false
    } else {
      work.reusable = true
    }
    this.#prev = undefined
    pass.bytes = EMPTY
    return work
  }

  at(i: number, k: number, s: number): boolean {
    let synced = false
    const old = this.#prev
    if (old !== undefined && i > this.#after) {
      for (let a = 0; a < 2 && !synced; a++) {
        const shift = this.#shift[a] as number
        let c = this.#cursor[a] as number
        while (c < old.cpCount && (old.cps[c * CP] as number) + shift < i) {
          c++
        }
        this.#cursor[a] = c
        if (
          c < old.cpCount &&
          (old.cps[c * CP] as number) + shift === i &&
          old.cps[c * CP + 2] === s
        ) {
          synced = true
          this.#syncCp = c
          this.#syncShift = shift
        }
      }
    }
    if (synced || i - this.#lastCp >= this.#spacing) {
      this.#work.addCheckpoint(i, k, s, this.#work.found.count)
      this.#lastCp = i
    }
    this.#plan()
    return synced
  }

  /** The next offset at() wants to see: a checkpoint due, or an old checkpoint to resync at. */
  #plan(): void {
    let next = this.#lastCp + this.#spacing
    const old = this.#prev
    if (old !== undefined && this.#after !== Infinity) {
      for (let a = 0; a < 2; a++) {
        const c = this.#cursor[a] as number
        if (c < old.cpCount) {
          next = Math.min(
            next,
            Math.max(this.#after + 1, (old.cps[c * CP] as number) + this.#shift[a]!)
          )
        }
      }
    }
    this.next = next
  }

  /**
   * Appends the old pass's output between its checkpoints `from` and `to` (-1: its start; as
   * `to`, its end) to the work at unit `k`: text, candidates and checkpoints, moved by the
   * alignment `shift`. Returns the work's unit offset after it.
   */
  #copy(
    old: PageScan,
    from: number,
    to: number,
    shift: number,
    out: Uint16Array,
    k: number
  ): number {
    const found = this.#work.found
    const cps = old.cps
    const fromK = from < 0 ? 0 : (cps[from * CP + 1] as number)
    const fromC = from < 0 ? 0 : (cps[from * CP + 3] as number)
    const toK = to < 0 ? old.text.length : (cps[to * CP + 1] as number)
    const toC = to < 0 ? old.found.count : (cps[to * CP + 3] as number)
    const unitShift = k - fromK
    const pairShift = found.count - fromC
    out.set(old.text.units.subarray(fromK, toK), k)
    found.replay(old.found.pairs, fromC, toC, unitShift)
    const last = to < 0 ? old.cpCount - 1 : to
    for (let c = from + 1; c <= last; c++) {
      const i = (cps[c * CP] as number) + shift
      this.#work.addCheckpoint(
        i,
        (cps[c * CP + 1] as number) + unitShift,
        cps[c * CP + 2] as number,
        (cps[c * CP + 3] as number) + pairShift
      )
      this.#lastCp = i
    }
    return k + toK - fromK
  }
}
