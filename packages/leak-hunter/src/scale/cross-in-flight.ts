// "Who else was in flight" across the workers of one machine. Each worker streams the windows of
// its requests on the host clock (TimedRegistry); a leak a worker finds is held here until every
// other worker's stream has passed the end of the leaking request, then completed with the VUs of
// the other workers that overlapped it, marked as likely sources as the detector marks its own.
import type { Finding, FindingConcurrent } from '../detect/types.js'
import type { InFlightLog } from './timed-registry.js'

/** Others listed per finding besides the likely sources, as the detector lists them. */
export const CONCURRENT_LISTED = 64

/** A finding waits at most this long for a silent worker's stream (ms). */
const MAX_WAIT_MS = 1000

/** Numbers kept in all the logs at most (32 MB); past it the oldest go first. */
const MAX_KEPT = 4_000_000

interface Chunk {
  data: Float64Array
  minStart: number
  maxEnd: number
}

interface Member {
  chunks: Chunk[]
  open: Float64Array
  watermark: number
  done: boolean
}

interface Pending {
  member: number
  finding: Finding
  t0: number
  t1: number
  since: number
}

export class CrossInFlight {
  readonly #members: Member[]
  readonly #accountId: (index: number) => string
  readonly #resolved: (member: number, finding: Finding) => void
  readonly #pending: Pending[] = []
  #kept = 0

  constructor(
    members: number,
    accountId: (index: number) => string,
    resolved: (member: number, finding: Finding) => void
  ) {
    this.#members = Array.from({ length: members }, () => ({
      chunks: [],
      open: new Float64Array(0),
      watermark: -Infinity,
      done: false,
    }))
    this.#accountId = accountId
    this.#resolved = resolved
  }

  get pending(): number {
    return this.#pending.length
  }

  /** A finding of `member` for the request that ran over [t0, t1] (host ms). */
  finding(member: number, finding: Finding, t0: number, t1: number): void {
    this.#pending.push({ member, finding, t0, t1, since: performance.now() })
  }

  /** `member`'s log since its last one (after its findings of the same update). */
  log(member: number, log: InFlightLog): void {
    const m = this.#members[member]!
    const d = log.intervals
    if (d.length > 0) {
      let minStart = Infinity
      let maxEnd = -Infinity
      for (let i = 0; i < d.length; i += 4) {
        minStart = Math.min(minStart, d[i + 2]!)
        maxEnd = Math.max(maxEnd, d[i + 3]!)
      }
      m.chunks.push({ data: d, minStart, maxEnd })
      this.#kept += d.length
    }
    m.open = log.open
    m.watermark = Math.max(m.watermark, log.watermark)
    this.resolve()
    this.#prune()
  }

  /** `member` sends no more (finished or lost): nothing of it is awaited any more. */
  done(member: number): void {
    this.#members[member]!.done = true
    this.resolve()
  }

  /** Completes every finding whose window every other member has passed (or waited too long). */
  resolve(all = false): void {
    const now = performance.now()
    let i = 0
    while (i < this.#pending.length) {
      const p = this.#pending[i]!
      if (all || now - p.since > MAX_WAIT_MS || this.#passed(p)) {
        this.#pending.splice(i, 1)
        this.#resolved(p.member, this.#complete(p))
      } else {
        i++
      }
    }
  }

  #passed(p: Pending): boolean {
    return this.#members.every((m, i) => i === p.member || m.done || m.watermark >= p.t1)
  }

  #complete(p: Pending): Finding {
    const { finding, t0, t1 } = p
    const sources = new Set(finding.foreign.map((f) => f.id))
    const seen = new Set(finding.concurrent.map((c) => c.vu))
    seen.add(finding.vu)
    const others: FindingConcurrent[] = []
    const add = (vu: number, account: number): void => {
      if (!seen.has(vu)) {
        seen.add(vu)
        const id = this.#accountId(account)
        others.push({ vu, account: id, likelySource: sources.has(id) })
      }
    }
    this.#members.forEach((m, i) => {
      if (i === p.member) {
        return
      }
      for (const c of m.chunks) {
        if (c.maxEnd < t0 || c.minStart > t1) {
          continue
        }
        const d = c.data
        for (let j = 0; j < d.length; j += 4) {
          if (d[j + 2]! <= t1 && d[j + 3]! >= t0) {
            add(d[j]!, d[j + 1]!)
          }
        }
      }
      const o = m.open
      for (let j = 0; j < o.length; j += 3) {
        if (o[j + 2]! <= t1) {
          add(o[j]!, o[j + 1]!)
        }
      }
    })
    if (others.length === 0) {
      return finding
    }
    let listed = finding.concurrent.filter((c) => !c.likelySource).length
    const kept = others.filter((c) => c.likelySource || listed++ < CONCURRENT_LISTED)
    return { ...finding, concurrent: [...finding.concurrent, ...kept] }
  }

  // A request still to be reported began after its worker's oldest open request or its last
  // watermark; a pending finding needs what overlaps it. Older windows can go.
  #prune(): void {
    let bound = Infinity
    for (const p of this.#pending) {
      bound = Math.min(bound, p.t0)
    }
    for (const m of this.#members) {
      if (m.done) {
        continue
      }
      bound = Math.min(bound, m.watermark)
      for (let j = 2; j < m.open.length; j += 3) {
        bound = Math.min(bound, m.open[j]!)
      }
    }
    for (const m of this.#members) {
      while (m.chunks.length > 0 && (m.chunks[0]!.maxEnd < bound || this.#kept > MAX_KEPT)) {
        this.#kept -= m.chunks.shift()!.data.length
      }
    }
  }
}
