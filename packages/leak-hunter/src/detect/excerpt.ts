/** Characters of context kept on each side of a match. */
export const CONTEXT_CHARS = 80

/** The match and up to 80 characters either side, never splitting a surrogate pair. */
export function excerptAround(
  text: string,
  start: number,
  end: number,
  context = CONTEXT_CHARS
): { before: string; match: string; after: string } {
  let from = Math.max(0, start - context)
  let to = Math.min(text.length, end + context)
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) {
    from++
  }
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) {
    to--
  }
  return {
    before: text.slice(from, start),
    match: text.slice(start, end),
    after: text.slice(end, to),
  }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}
