// A marker set that changes while requests are scanned (the guard's active identities). Changes
// are visible to the very next scan and cost little: a removed identity is marked dead where it
// was indexed, an added one goes into a small run built at once, and runs are folded into a base
// that is rebuilt in the background (slices or a worker) and swapped in atomically. Each
// `current` is an immutable snapshot, so a scan keeps the index it started with.
import { run } from '../automaton/build-tables.js'
import { ClosedError, OptionsInvalidError } from '../errors.js'
import type { Identity, IndexOptions, MarkerIndex, ResolvedIndexOptions } from '../types.js'
import type { BackgroundOptions } from './build-index.js'
import { compileInBackground, compileInWorker } from './build-index.js'
import { BuildThread } from './build-thread.js'
import { CompiledIndex } from './compiled-index.js'
import { collect, compile } from './compile-index.js'
import type { ColumnValues } from './compile-index.js'
import { checkIdentity, markerColumns, resolveOptions, valuesOf } from './options.js'
import { Snapshot } from './snapshot.js'
import type { Layer } from './snapshot.js'

export interface LiveIndexOptions<T extends Identity> extends IndexOptions {
  /** Indexed at once, as buildIndex() does (start-up may block; requests never do after). */
  identities?: Iterable<T>
  /** How the base is rebuilt: 'worker' (default) or 'slices' (BackgroundOptions). */
  mode?: 'slices' | 'worker'
  sliceMs?: number
  /** Rebuild the base once this many identities are set or removed since it was built. Default 256. */
  mergeAfter?: number
  /** ...or once the oldest such change is this old (ms). Default 5,000. */
  mergeAfterMs?: number
}

export interface LiveIndexStats {
  /** Base rebuilds completed, and how long the last took (ms, wall). */
  rebuilds: number
  lastRebuildMs: number
  failedRebuilds: number
  /** Identities set since the base was built (held in the small runs). */
  pending: number
  /** Indexes the current snapshot scans: 1 once every change is in the base (a quiet index). */
  layers: number
  /** Identities removed or replaced since their run was built (hidden, still in its tables). */
  dead: number
  byteLength: number
}

/** Holds the current snapshot of a changing set of identities; see createLiveIndex(). */
export interface LiveIndex<T extends Identity = Identity> {
  /** The snapshot to scan now: every change made so far. Cheap to read per request. */
  readonly current: MarkerIndex<T>
  /** Adds an identity, or replaces the one with its id (a no-op when its markers are the same). */
  set(identity: T): void
  /** Removes an identity; false when it was not there. */
  delete(id: string): boolean
  has(id: string): boolean
  readonly size: number
  /** Resolves once every change made before the call is in a rebuilt base. */
  settled(): Promise<void>
  readonly stats: LiveIndexStats
  /** Stops background work; set() and delete() then throw DETECT_ERR_CLOSED. */
  close(): Promise<void>
}

/** Identities set since the last run was built go into a small run up to this many, then into one run of all pending. */
const SMALL_RUN = 16

/** A CompiledIndex and the slots removed from it since (copied before a write once a snapshot holds it). */
class Run<T extends Identity> {
  dead: Uint8Array | undefined
  deadCount = 0
  shared = false
  constructor(readonly index: CompiledIndex<T>) {}

  kill(id: string): void {
    const slot = this.index.slotOf(id)
    if (slot < 0 || this.dead?.[slot] === 1) {
      return
    }
    if (this.dead === undefined || this.shared) {
      const dead = new Uint8Array(this.index.identities.length)
      if (this.dead !== undefined) {
        dead.set(this.dead)
      }
      this.dead = dead
      this.shared = false
    }
    this.dead[slot] = 1
    this.deadCount++
  }

  layer(): Layer<T> {
    this.shared = true
    return { index: this.index, dead: this.dead, deadCount: this.deadCount }
  }
}

class Live<T extends Identity> implements LiveIndex<T> {
  readonly #options: ResolvedIndexOptions
  readonly #columns: string[]
  readonly #background: BackgroundOptions
  readonly #mergeAfter: number
  readonly #mergeAfterMs: number
  readonly #thread: BuildThread | undefined
  readonly #all = new Map<string, T>()
  #base: Run<T>
  /**
   * Identities not in the base, in `#big` or `#small`: set since the running build began (or
   * since the base's, when none runs), and in `#pendingInBuild` those the running build holds.
   * Split so that its swap is O(1), not O(identities set meanwhile).
   */
  #pending = new Map<string, T>()
  #pendingInBuild: Map<string, T> | undefined
  #big: Run<T> | undefined
  #small: Run<T> | undefined
  /** Pending identities in no run yet, while they are few (undefined: too many, build them all). */
  #unbuilt: Map<string, T> | undefined = new Map()
  #anyUnbuilt = false
  #current: Snapshot<T> | undefined
  #building: Promise<void> | undefined
  #abort = new AbortController()
  /** Ids the running build holds that changed since it began: dead in the new base. */
  #changedDuringBuild: Set<string> | undefined
  #timer: NodeJS.Timeout | undefined
  #closed = false
  #lastError: unknown
  #rebuilds = 0
  #lastRebuildMs = 0
  #failedRebuilds = 0

  constructor(options: LiveIndexOptions<T>) {
    this.#options = resolveOptions(options)
    this.#columns = markerColumns(this.#options)
    const mergeAfter = options.mergeAfter ?? 256
    const mergeAfterMs = options.mergeAfterMs ?? 5000
    if (!Number.isInteger(mergeAfter) || mergeAfter < 1) {
      throw new OptionsInvalidError('mergeAfter', `expected an integer >= 1, got ${mergeAfter}`)
    }
    if (!(mergeAfterMs >= 0)) {
      throw new OptionsInvalidError('mergeAfterMs', `expected ms >= 0, got ${mergeAfterMs}`)
    }
    const mode = options.mode ?? 'worker'
    if (mode !== 'worker' && mode !== 'slices') {
      throw new OptionsInvalidError('mode', `expected "worker" or "slices", got ${String(mode)}`)
    }
    if (options.sliceMs !== undefined && !(options.sliceMs > 0)) {
      throw new OptionsInvalidError(
        'sliceMs',
        `expected a number of ms > 0, got ${options.sliceMs}`
      )
    }
    this.#mergeAfter = mergeAfter
    this.#mergeAfterMs = mergeAfterMs
    this.#background = {
      mode,
      signal: this.#abort.signal,
      ...(options.sliceMs === undefined ? {} : { sliceMs: options.sliceMs }),
    }
    const initial = [...(options.identities ?? [])]
    this.#base = new Run(this.#compile(initial))
    for (const identity of initial) {
      this.#all.set(identity.id, identity)
    }
    if (mode === 'worker') {
      this.#thread = new BuildThread()
      this.#send(initial)
    }
  }

  get size(): number {
    return this.#all.size
  }

  has(id: string): boolean {
    return this.#all.has(id)
  }

  get current(): MarkerIndex<T> {
    return this.#snapshot()
  }

  #snapshot(): Snapshot<T> {
    if (this.#current === undefined) {
      if (this.#anyUnbuilt) {
        this.#buildRuns()
      }
      const layers = [this.#base, this.#big, this.#small]
        .filter((r): r is Run<T> => r !== undefined)
        .map((r) => r.layer())
      this.#current = new Snapshot(this.#options, layers)
    }
    return this.#current
  }

  get stats(): LiveIndexStats {
    let dead = 0
    let byteLength = 0
    for (const run of [this.#base, this.#big, this.#small]) {
      dead += run?.deadCount ?? 0
      byteLength += (run?.index.byteLength ?? 0) + (run?.dead?.byteLength ?? 0)
    }
    return {
      rebuilds: this.#rebuilds,
      lastRebuildMs: this.#lastRebuildMs,
      failedRebuilds: this.#failedRebuilds,
      pending: this.#pendingCount(),
      layers: this.#snapshot().layers.length,
      dead,
      byteLength,
    }
  }

  set(identity: T): void {
    this.#open()
    // Validated here, not at the next read of `current`, so that the caller's set() throws.
    checkIdentity(identity)
    const known = this.#all.get(identity.id)
    if (known !== undefined && this.#sameMarkers(known, identity)) {
      this.#all.set(identity.id, identity)
      return
    }
    const values = this.#valuesOf(identity)
    this.#all.set(identity.id, identity)
    this.#thread?.set(identity.id, values)
    this.#hide(identity.id, known !== undefined)
    this.#pending.set(identity.id, identity)
    this.#unbuilt?.set(identity.id, identity)
    if (this.#unbuilt !== undefined && this.#unbuilt.size > SMALL_RUN) {
      this.#unbuilt = undefined
    }
    this.#anyUnbuilt = true
    this.#changed()
  }

  delete(id: string): boolean {
    this.#open()
    if (!this.#all.delete(id)) {
      return false
    }
    this.#thread?.delete(id)
    this.#hide(id, true)
    this.#pending.delete(id)
    this.#unbuilt?.delete(id)
    this.#changed()
    return true
  }

  async settled(): Promise<void> {
    for (;;) {
      if (this.#closed) {
        throw new ClosedError()
      }
      if (this.#building !== undefined) {
        await this.#building
        continue
      }
      if (this.#pendingCount() === 0 && this.#base.deadCount === 0) {
        return
      }
      const failures = this.#failedRebuilds
      await this.#rebuild()
      if (this.#failedRebuilds > failures) {
        throw this.#lastError
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return
    }
    this.#closed = true
    clearTimeout(this.#timer)
    this.#abort.abort()
    await this.#building
    await this.#thread?.close()
  }

  #open(): void {
    if (this.#closed) {
      throw new ClosedError()
    }
  }

  #valuesOf(identity: T): ColumnValues {
    return this.#columns.map((column) => valuesOf(identity, column))
  }

  /** Gives the build worker's copy these identities (all of them: it starts empty or lost its copy). */
  #send(identities: readonly T[]): void {
    const thread = this.#thread as BuildThread
    thread.reset()
    for (const identity of identities) {
      thread.set(identity.id, this.#valuesOf(identity))
    }
  }

  #sameMarkers(a: T, b: T): boolean {
    for (const column of this.#columns) {
      const x = valuesOf(a, column)
      const y = valuesOf(b, column)
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) {
        return false
      }
    }
    return true
  }

  #pendingCount(): number {
    return this.#pending.size + (this.#pendingInBuild?.size ?? 0)
  }

  /** Marks `id` removed wherever it is indexed; `existed`: it was there before this change. */
  #hide(id: string, existed: boolean): void {
    if (!existed) {
      // A new id is in no index yet (nor in the running build): nothing to mark.
      return
    }
    this.#base.kill(id)
    this.#big?.kill(id)
    this.#small?.kill(id)
    this.#pendingInBuild?.delete(id)
    this.#changedDuringBuild?.add(id)
  }

  #changed(): void {
    this.#current = undefined
    if (this.#pendingCount() + this.#base.deadCount >= this.#mergeAfter) {
      void this.#rebuild()
    } else if (this.#timer === undefined && this.#building === undefined) {
      this.#timer = setTimeout(() => void this.#rebuild(), this.#mergeAfterMs)
      this.#timer.unref()
    }
  }

  /**
   * Builds what is pending but in no run yet: with the small run's identities into a new small
   * run while they are few, else every pending identity into one run (replacing both).
   */
  #buildRuns(): void {
    const small = this.#small
    const kept =
      small === undefined
        ? []
        : small.index.identities.filter((_, slot) => small.dead?.[slot] !== 1)
    if (this.#unbuilt !== undefined && kept.length + this.#unbuilt.size <= SMALL_RUN) {
      this.#small = new Run(this.#compile([...kept, ...this.#unbuilt.values()]))
    } else {
      const inBuild = this.#pendingInBuild?.values() ?? []
      this.#big = new Run(this.#compile([...inBuild, ...this.#pending.values()]))
      this.#small = undefined
    }
    this.#unbuilt = new Map()
    this.#anyUnbuilt = false
  }

  #compile(list: readonly T[]): CompiledIndex<T> {
    const collected = run(collect(list, this.#options))
    return new CompiledIndex(run(compile(collected.input)), collected.slots, list, this.#options)
  }

  /** Rebuilds the base from every identity, in the background, then swaps it in. */
  #rebuild(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#building !== undefined || this.#closed) {
      return this.#building ?? Promise.resolve()
    }
    const list = [...this.#all.values()]
    const changed = new Set<string>()
    this.#changedDuringBuild = changed
    this.#pendingInBuild = this.#pending
    this.#pending = new Map()
    const started = performance.now()
    this.#building = this.#build(list)
      .then(
        (index) => {
          this.#swap(new Run(index), changed)
          this.#rebuilds++
          this.#lastRebuildMs = performance.now() - started
        },
        (err: unknown) => {
          this.#lastError = err
          this.#failedRebuilds++
          // The base stays: what the build held is pending again.
          const inBuild = this.#pendingInBuild ?? new Map<string, T>()
          for (const [id, identity] of this.#pending) {
            inBuild.set(id, identity)
          }
          this.#pending = inBuild
        }
      )
      .finally(() => {
        this.#building = undefined
        this.#changedDuringBuild = undefined
        this.#pendingInBuild = undefined
        // Changes made meanwhile may call for the next rebuild already.
        if (!this.#closed && (this.#pendingCount() > 0 || this.#base.deadCount > 0)) {
          this.#changed()
        }
      })
    return this.#building
  }

  /** The base over `list`: in slices, or in the worker from its copy (sent again if it was lost). */
  #build(list: readonly T[]): Promise<CompiledIndex<T>> {
    const thread = this.#thread
    if (thread === undefined) {
      return compileInBackground(list, this.#options, this.#background, undefined)
    }
    if (thread.lost) {
      // Once, after the worker failed: everyone in one turn, as in the constructor.
      this.#send(list)
    }
    const { signal } = this.#background
    return compileInWorker(list, this.#options, thread, signal)
  }

  /**
   * The new base holds every identity as of its start: what was set since stays pending (and goes
   * into a run at the next read), what it holds that changed since is dead in it.
   */
  #swap(base: Run<T>, changed: ReadonlySet<string>): void {
    this.#base = base
    this.#big = undefined
    this.#small = undefined
    this.#pendingInBuild = undefined
    for (const id of changed) {
      base.kill(id)
    }
    this.#unbuilt = this.#pending.size <= SMALL_RUN ? new Map(this.#pending) : undefined
    this.#anyUnbuilt = this.#pending.size > 0
    this.#current = undefined
  }
}

/** A live index over `options.identities` (built at once), changed by set() and delete(). */
export function createLiveIndex<T extends Identity>(options: LiveIndexOptions<T>): LiveIndex<T> {
  return new Live(options)
}
