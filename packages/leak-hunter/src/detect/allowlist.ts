import { foldString } from './char-tables.js'
import { normalizeMarker } from './normalize.js'

/** Prepared allowlists, cached per array: the engine passes the same array for every sample of a page. */
const prepared = new WeakMap<readonly string[], { folded: string[]; plain: string[] }>()

function prepare(allowlist: readonly string[]): { folded: string[]; plain: string[] } {
  let entry = prepared.get(allowlist)
  if (entry === undefined) {
    const plain = allowlist.map(normalizeMarker).filter((s) => s.length > 0)
    entry = { plain, folded: plain.map(foldString) }
    prepared.set(allowlist, entry)
  }
  return entry
}

/**
 * Masks every occurrence of allowlisted text with U+0000 (same length, so offsets and excerpts stay
 * valid; NUL is no letter, so neighbours keep their boundaries). Returns `text` itself when nothing
 * is masked.
 */
export function maskAllowlisted(
  text: string,
  allowlist: readonly string[],
  caseInsensitive: boolean
): string {
  if (allowlist.length === 0) {
    return text
  }
  const { plain, folded } = prepare(allowlist)
  const haystack = caseInsensitive ? foldString(text) : text
  const needles = caseInsensitive ? folded : plain
  const spans: Array<[number, number]> = []
  for (const needle of needles) {
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
      spans.push([at, at + needle.length])
    }
  }
  if (spans.length === 0) {
    return text
  }
  spans.sort((a, b) => a[0] - b[0])
  let out = ''
  let last = 0
  for (const [start, end] of spans) {
    const from = Math.max(start, last)
    if (end <= from) {
      continue
    }
    out += text.slice(last, from) + '\u0000'.repeat(end - from)
    last = end
  }
  return out + text.slice(last)
}
