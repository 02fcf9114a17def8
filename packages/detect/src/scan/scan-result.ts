// What a scan found, as a caller reads it: every match with its identity, whether the owner's
// marker is there, and who else is.
import { StaleResultError } from '../errors.js'
import { normalizeText } from '../pass/normalize.js'
import type { Snapshot } from '../index/snapshot.js'
import type { ScanCache } from '../rescan/scan-cache.js'
import type { UnitBuffer } from '../text/unit-buffer.js'
import type { Identity, Match } from '../types.js'
import type { LayerMatch } from './layer-matches.js'
import type { ScanState } from './scan-state.js'

const NONE = Object.freeze([]) as readonly never[]

/** What scan() hands its result: a binary body has no snapshot, text or matches. */
export interface ScanOutcome<T extends Identity> {
  state: ScanState
  owner: string | undefined
  snapshot?: Snapshot<T>
  found?: readonly LayerMatch[]
  text?: UnitBuffer
  cache?: ScanCache | undefined
  /** A result that stands for this body too (it differs from that one's only in tokens). */
  same?: ScanResult<T>
  /** With `same`: this body, normalised only if text() is asked for. */
  body?: Uint8Array
}

export class ScanResult<T extends Identity = Identity> {
  /**
   * Every match that counts (boundaries, longest match, id contexts, allowlist), in text order; a
   * value several identities hold yields one Match per holder.
   */
  readonly matches: readonly Match<T>[]
  /** Some match is a marker `owner` holds (false without an owner). */
  readonly ownerSeen: boolean
  /** Matches of identities other than `owner`, minus spans the owner also holds (a shared value). */
  readonly foreign: readonly Match<T>[]
  /** The distinct identities in `foreign`, first seen first. */
  readonly foreignIdentities: readonly T[]
  readonly #text: UnitBuffer | undefined
  readonly #body: Uint8Array | undefined
  readonly #state: ScanState
  readonly #generation: number
  readonly #cache: ScanCache | undefined
  readonly #cacheGeneration: number

  /** Made by scan() only: the matches `found` in `text` with `snapshot` (none without one). */
  constructor(scanned: ScanOutcome<T>) {
    const { snapshot, found = NONE, owner, text, state, cache, same, body } = scanned
    this.#text = text
    this.#body = body
    this.#state = state
    this.#generation = state.generation
    this.#cache = cache
    this.#cacheGeneration = cache?.generation ?? 0
    if (same !== undefined) {
      this.matches = same.matches
      this.ownerSeen = same.ownerSeen
      this.foreign = same.foreign
      this.foreignIdentities = same.foreignIdentities
      return
    }
    if (snapshot === undefined || text === undefined || found.length === 0) {
      this.matches = NONE
      this.ownerSeen = false
      this.foreign = NONE
      this.foreignIdentities = NONE
      return
    }
    const layers = snapshot.layers
    // The owner's slot in each layer (-2: not looked up yet).
    const ownerSlots = layers.length === 1 ? undefined : layers.map(() => -2)
    let baseSlot = -2
    let ownerSeen = false
    let foreignSeen = false
    const matches: Match<T>[] = []
    for (const m of found) {
      const l = m.layer ?? 0
      const layer = layers[l]!
      let slot = ownerSlots === undefined ? baseSlot : (ownerSlots[l] as number)
      if (slot === -2) {
        slot = owner === undefined ? -1 : snapshot.slotIn(layer, owner)
        if (ownerSlots === undefined) {
          baseSlot = slot
        } else {
          ownerSlots[l] = slot
        }
      }
      const held = slot >= 0 && layer.index.holds(m, slot, text)
      ownerSeen ||= held
      foreignSeen ||= !held
      layer.index.collect(m, text, layer.dead, matches)
    }
    // Frozen: a ScanCache answers a later body that differs only in tokens with these very arrays.
    for (const m of matches) {
      Object.freeze(m)
    }
    this.matches = Object.freeze(matches)
    this.ownerSeen = ownerSeen
    if (!foreignSeen) {
      this.foreign = NONE
      this.foreignIdentities = NONE
      return
    }
    const ownerIdentity = owner === undefined ? undefined : snapshot.get(owner)
    // A span the owner also holds (a shared value) is the owner's, whoever else holds it too.
    const ownSpans = new Set<number>()
    for (const h of matches) {
      if (h.identity === ownerIdentity) {
        ownSpans.add(h.start * 0x100000 + h.end)
      }
    }
    this.foreign = Object.freeze(
      matches.filter(
        (h) => h.identity !== ownerIdentity && !ownSpans.has(h.start * 0x100000 + h.end)
      )
    )
    this.foreignIdentities = Object.freeze([...new Set(this.foreign.map((h) => h.identity))])
  }

  /**
   * The normalised text, for evidence. Valid until the state (or cache) scans another body, and
   * while the body given to scan() is unchanged (a result that stood for it reads it again).
   */
  text(): string {
    if (
      this.#state.generation !== this.#generation ||
      (this.#cache !== undefined && this.#cache.generation !== this.#cacheGeneration)
    ) {
      throw new StaleResultError()
    }
    if (this.#body !== undefined) {
      return normalizeText(this.#body)
    }
    return this.#text?.toString() ?? ''
  }
}
