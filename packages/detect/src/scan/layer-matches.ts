// The matches of a snapshot over a normalised text: its base's candidates (from the fused pass)
// and, for a live index, its overlay's, without what was removed since each was built, and the
// longest-match rule applied across both, so that the answer is the one index built from the same
// identities would give (live-index.property.test.ts).
import type { AutomatonMatch } from '../automaton/automaton.js'
import type { Candidates } from '../automaton/candidates.js'
import type { UnitBuffer } from '../text/unit-buffer.js'
import type { Identity } from '../types.js'
import type { Snapshot } from '../index/snapshot.js'

/** A match and the layer of the snapshot it came from (0 when absent). */
export interface LayerMatch extends AutomatonMatch {
  layer?: number
}

export function layerMatches<T extends Identity>(
  snapshot: Snapshot<T>,
  text: UnitBuffer,
  found: Candidates,
  overlayFound: Candidates
): LayerMatch[] {
  const base = snapshot.layers[0]!.index
  if (snapshot.simple) {
    return base.automaton.finish(found, text, base.context)
  }
  const all: LayerMatch[] = []
  snapshot.layers.forEach((layer, l) => {
    const { automaton, context } = layer.index
    if (l > 0) {
      automaton.pass(text, overlayFound)
    }
    for (const m of automaton.finish(l === 0 ? found : overlayFound, text, context, false)) {
      // A match held only by removed identities counts for nobody and hides nothing.
      if (layer.dead === undefined || layer.index.counts(m, text, -1, layer.dead)) {
        ;(m as LayerMatch).layer = l
        all.push(m)
      }
    }
  })
  return longestAcross(all)
}

/**
 * Drops every match lying inside a longer one. Two layers may each hold the same value (then both
 * matches stand, as two holders of one value would).
 */
function longestAcross(matches: LayerMatch[]): LayerMatch[] {
  matches.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: LayerMatch[] = []
  let maxEnd = -1
  for (const m of matches) {
    const last = kept.at(-1)
    if (m.end > maxEnd || (last !== undefined && last.start === m.start && last.end === m.end)) {
      kept.push(m)
      maxEnd = Math.max(maxEnd, m.end)
    }
  }
  return kept
}
