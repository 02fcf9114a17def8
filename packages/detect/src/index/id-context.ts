// Id markers: a value such as user id 104 identifies an account only where the page says it is an
// id: the whole value of a named JSON field ("userId": 104), of a named attribute
// (data-user-id="104"), or a path segment after a named one (/users/104/). Everywhere else
// (item ids, CSRF tokens, counts, dates) the same digits are noise. Checked on the normalised
// text around a match, so JSON embedded in HTML and escaped JSON count too.
import type { IdMarkerSpec } from '../types.js'
import { EDGE } from './word-set.js'

const QUOTE = 0x22
const APOS = 0x27
const SPACE = 0x20
const COLON = 0x3a
const EQUALS = 0x3d
const SLASH = 0x2f

/** A compiled IdMarkerSpec: `holds(units, length, start, end)` over normalised text. */
export class IdContext {
  readonly column: string
  readonly #json: Uint16Array[]
  readonly #attributes: Uint16Array[]
  readonly #segments: Uint16Array[]

  constructor(spec: IdMarkerSpec) {
    this.column = spec.column
    this.#json = (spec.json ?? []).map(units)
    this.#attributes = (spec.attributes ?? []).map((a) => units(a.toLowerCase()))
    this.#segments = (spec.pathSegments ?? []).map(units)
  }

  /** Whether text[start, end) stands where the spec says an id stands. */
  holds(text: Uint16Array, length: number, start: number, end: number): boolean {
    return (
      (this.#json.length > 0 && this.#jsonValue(text, length, start, end)) ||
      (this.#attributes.length > 0 && this.#attributeValue(text, length, start, end)) ||
      (this.#segments.length > 0 && this.#pathSegment(text, length, start, end))
    )
  }

  /** `"name": value` or `"name": "value"`, the value whole: a member of an object. */
  #jsonValue(text: Uint16Array, length: number, start: number, end: number): boolean {
    let a = start - 1
    const b = end
    if (text[a] === QUOTE) {
      // The buffer may hold stale units past `length` (NFC shortens text in place): never read them.
      if (b >= length || text[b] !== QUOTE) {
        return false
      }
      a--
    } else {
      // A bare number (or literal) ends the value: what follows is a separator or the end.
      let c = b < length ? text[b] : -1
      if (c === SPACE) {
        c = b + 1 < length ? text[b + 1] : -1
      }
      if (c !== -1 && c !== 0x2c && c !== 0x7d && c !== 0x5d) {
        return false
      }
    }
    if (text[a] === SPACE) {
      a--
    }
    if (text[a] !== COLON) {
      return false
    }
    a--
    if (text[a] === SPACE) {
      a--
    }
    if (text[a] !== QUOTE) {
      return false
    }
    // text[a] closes the member name: compare the names that end right before it.
    return this.#json.some(
      (name) => endsWith(text, a - 1, name) && text[a - name.length - 1] === QUOTE
    )
  }

  /** `name="value"`, `name='value'` or `name=value`, the value whole. */
  #attributeValue(text: Uint16Array, length: number, start: number, end: number): boolean {
    let a = start - 1
    const q = text[a]
    if (q === QUOTE || q === APOS) {
      if (end >= length || text[end] !== q) {
        return false
      }
      a--
    } else {
      const c = end < length ? text[end] : SPACE
      // An unquoted value ends at whitespace or the end of the tag.
      if (c !== SPACE && c !== 0x3e && c !== SLASH) {
        return false
      }
    }
    if (text[a] === SPACE) {
      a--
    }
    if (text[a] !== EQUALS) {
      return false
    }
    a--
    if (text[a] === SPACE) {
      a--
    }
    return this.#attributes.some(
      (name) => endsWithLower(text, a, name) && text[a - name.length] === SPACE
    )
  }

  /** `/segment/value` followed by `/`, `?`, `#` or a character no URL path holds. */
  #pathSegment(text: Uint16Array, length: number, start: number, end: number): boolean {
    if (text[start - 1] !== SLASH || (end < length && isPathChar(text[end] as number))) {
      return false
    }
    const a = start - 2
    return this.#segments.some((name) => {
      if (!endsWith(text, a, name)) {
        return false
      }
      const before = a - name.length
      return before < 0 || text[before] === SLASH || !isPathChar(text[before] as number)
    })
  }
}

/**
 * Whether some context may hold an id whose value stands between the units `before` and `after`
 * (EDGE: the text's start or end), whatever the names: what holds() asks of those two units.
 * id-context.property.test.ts checks that holds() is never true where this is false.
 */
export function idMayStand(before: number, after: number): boolean {
  switch (before) {
    case QUOTE:
    case APOS:
      // "name": "value", name="value", name='value': the same quote closes it.
      return after === before
    case COLON:
      return endsBareJson(after)
    case EQUALS:
      return endsUnquoted(after)
    case SPACE:
      return endsBareJson(after) || endsUnquoted(after)
    case SLASH:
      // /segment/value
      return after === EDGE || !isPathChar(after)
    default:
      return false
  }
}

/** A bare JSON value ends at a separator, or at a space (one may follow), or the text's end. */
function endsBareJson(after: number): boolean {
  return after === EDGE || after === SPACE || after === 0x2c || after === 0x7d || after === 0x5d
}

/** An unquoted attribute value ends at whitespace, `>` or `/`, or the text's end. */
function endsUnquoted(after: number): boolean {
  return after === EDGE || after === SPACE || after === 0x3e || after === SLASH
}

function units(s: string): Uint16Array {
  const out = new Uint16Array(s.length)
  for (let i = 0; i < s.length; i++) {
    out[i] = s.charCodeAt(i)
  }
  return out
}

/** Whether text[.., at] (inclusive) ends with `name`. */
function endsWith(text: Uint16Array, at: number, name: Uint16Array): boolean {
  const from = at - name.length + 1
  if (from < 0) {
    return false
  }
  for (let i = 0; i < name.length; i++) {
    if (text[from + i] !== name[i]) {
      return false
    }
  }
  return true
}

/** endsWith with ASCII letters of the text lower-cased (`name` is lower case already). */
function endsWithLower(text: Uint16Array, at: number, name: Uint16Array): boolean {
  const from = at - name.length + 1
  if (from < 0) {
    return false
  }
  for (let i = 0; i < name.length; i++) {
    let c = text[from + i] as number
    if (c >= 0x41 && c <= 0x5a) {
      c += 0x20
    }
    if (c !== name[i]) {
      return false
    }
  }
  return true
}

/**
 * RFC 3986 pchar (unreserved, sub-delims, `:`, `@`, `%`) minus `'`, which in a page mostly closes
 * an attribute value (`href='/users/104'`); `/`, `?`, `#` end a segment.
 */
function isPathChar(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
    return true
  }
  return '-._~!$&()*+,;=:@%'.includes(String.fromCharCode(c)) || c >= 0x80
}
