// What a MarkerIndex is inside: one built index (buildIndex), or for a live index a base built
// in the background plus a small overlay of the identities set since, each with the slots removed
// since it was built. Immutable: a change makes a new snapshot.
import { OptionsInvalidError } from '../errors.js'
import { foldString } from '../text/char-tables.js'
import type { Identity, MarkerAmbiguity, MarkerIndex, ResolvedIndexOptions } from '../types.js'
import type { CompiledIndex } from './compiled-index.js'

export interface Layer<T extends Identity> {
  readonly index: CompiledIndex<T>
  /** 1 for each slot removed (or replaced) since the index was built; undefined when none is. */
  readonly dead: Uint8Array | undefined
  readonly deadCount: number
}

export class Snapshot<T extends Identity> implements MarkerIndex<T> {
  readonly options: ResolvedIndexOptions
  /** The base first; an overlay after it. */
  readonly layers: readonly Layer<T>[]
  #ambiguities: MarkerAmbiguity<T>[] | undefined

  constructor(options: ResolvedIndexOptions, layers: readonly Layer<T>[]) {
    this.options = options
    this.layers = layers
  }

  /** One layer and nothing removed: the scan takes its shortest path. */
  get simple(): boolean {
    return this.layers.length === 1 && this.layers[0]!.dead === undefined
  }

  get identities(): number {
    let n = 0
    for (const layer of this.layers) {
      n += layer.index.identities.length - layer.deadCount
    }
    return n
  }

  get size(): number {
    let n = 0
    for (const layer of this.layers) {
      n += layer.index.size
    }
    return n
  }

  get byteLength(): number {
    let n = 0
    for (const layer of this.layers) {
      n += layer.index.byteLength + (layer.dead?.byteLength ?? 0)
    }
    return n
  }

  /** The slot of identity `id` in each layer (-1 where it is absent or removed). */
  slotIn(layer: Layer<T>, id: string): number {
    const slot = layer.index.slotOf(id)
    return slot < 0 || layer.dead?.[slot] === 1 ? -1 : slot
  }

  has(id: string): boolean {
    return this.get(id) !== undefined
  }

  get(id: string): T | undefined {
    for (const layer of this.layers) {
      const slot = this.slotIn(layer, id)
      if (slot >= 0) {
        return layer.index.identities[slot]
      }
    }
    return undefined
  }

  get ambiguities(): readonly MarkerAmbiguity<T>[] {
    this.#ambiguities ??= this.#findAmbiguities()
    return this.#ambiguities
  }

  /** Values held by several live identities, across layers. */
  #findAmbiguities(): MarkerAmbiguity<T>[] {
    const byMarker = new Map<string, MarkerAmbiguity<T>>()
    const fold = this.options.caseInsensitive
    for (const layer of this.layers) {
      // One layer alone: only its shared patterns can be ambiguous. Several: any value may be
      // held once in each.
      const entries = this.layers.length === 1 ? layer.index.shared() : layer.index.patterns()
      for (const { pattern, holders } of entries) {
        const marker = layer.index.marker(pattern)
        const key = fold ? foldString(marker) : marker
        let found = byMarker.get(key)
        if (found === undefined) {
          found = { marker, holders: [] }
          byMarker.set(key, found)
        }
        for (const h of holders) {
          if (layer.dead?.[h.slot] !== 1) {
            found.holders.push({ identity: layer.index.identities[h.slot] as T, column: h.column })
          }
        }
      }
    }
    return [...byMarker.values()].filter(
      (a) => new Set(a.holders.map((h) => h.identity.id)).size > 1
    )
  }
}

/** The Snapshot behind a MarkerIndex; refuses objects that are not one. */
export function snapshotOf<T extends Identity>(index: MarkerIndex<T>): Snapshot<T> {
  if (!(index instanceof Snapshot)) {
    throw new OptionsInvalidError(
      'index',
      'expected a MarkerIndex from buildIndex() or a LiveIndex (.current)'
    )
  }
  return index as Snapshot<T>
}
